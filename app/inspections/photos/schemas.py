"""Schemas of photo uploads, captions and the photo record."""

from flask_smorest.fields import Upload
from marshmallow import fields, validate

from app.api.smorest import Schema


class PhotoUploadSchema(Schema):
    """The multipart body: the form fields and the image file."""

    id = fields.UUID(required=True, metadata={"description": "The device's photo UUID"})
    item_id = fields.String(validate=validate.Length(1, 100))
    instance = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1),
        metadata={"description": "The item's instance in a repeated section (default 1)"},
    )
    caption = fields.String(validate=validate.Length(max=500))
    file = Upload(required=True, metadata={"description": "JPEG, PNG, WebP or HEIC"})


class PhotoCaptionSchema(Schema):
    caption = fields.String(required=True, allow_none=True, validate=validate.Length(max=500))


class PhotoSchema(Schema):
    id = fields.String()
    inspection_id = fields.String()
    item_id = fields.String(allow_none=True)
    instance = fields.Integer(metadata={"description": "The item's instance (1 outside repeats)"})
    caption = fields.String(allow_none=True)
    width = fields.Integer()
    height = fields.Integer()
    url = fields.String()
    thumbnail_url = fields.String()
    created_at = fields.String()
