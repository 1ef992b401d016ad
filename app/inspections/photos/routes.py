"""Photo upload (one per request, idempotent) and serving to signed-in users."""

from flask import g, send_file
from flask.views import MethodView

from app.api import etag
from app.api.smorest import Blueprint
from app.auth.roles import ADMIN, INSPECTOR
from app.inspections.photos import services
from app.inspections.photos.schemas import PhotoCaptionSchema, PhotoSchema, PhotoUploadSchema

blp = Blueprint("photos", __name__, url_prefix="/api/v1", description="Bilder")


def _jpeg(description: str):
    """Document a success body that is a JPEG file (smorest leaves the content of a
    schema-less response out of the document, so clients would not know what they get)."""
    content = {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}
    return blp.doc(responses={"200": {"description": description, "content": content}})


@blp.route("/inspections/<uuid:inspection_id>/photos")
class Photos(MethodView):
    @blp.auth_required(ADMIN, INSPECTOR)
    @blp.arguments(PhotoUploadSchema, location="multipart")
    @blp.response(201, PhotoSchema)
    @blp.alt_response(
        200,
        schema=PhotoSchema,
        description="Already stored (same UUID, or same bytes, item and instance)",
    )
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(422, response="UNPROCESSABLE_CONTENT")
    def post(self, form, inspection_id):
        """Upload one photo (JPEG, PNG, WebP, HEIC) of an item and its instance; retries with
        the same UUID are safe."""
        photo, created = services.upload(
            g.user,
            inspection_id,
            form["id"],
            form["file"].stream,
            form.get("item_id"),
            form.get("caption"),
            instance=form["instance"],
        )
        return services.photo_to_dict(photo), 201 if created else 200


# Photos of people's homes: no copy left in the browser's cache after sign-out (the service
# worker caches only the app shell; thumbnails are small to fetch again).
NOT_STORED = "private, no-store"


def _serve(photo, key):
    """The file, or 304 before it is opened when the client has it (its ETag from the
    content hash)."""
    etag.tag(f'"{photo.sha256[:32]}-{"t" if key == photo.thumbnail_key else "d"}"')
    stream = services.storage().open(key)
    return send_file(stream, mimetype="image/jpeg", etag=False, conditional=True)


@blp.route("/photos/<uuid:photo_id>")
class PhotoById(MethodView):
    @blp.auth_required()
    @blp.response(200, content_type="image/jpeg")
    @_jpeg("The display image")
    @etag.conditional(cache_control=NOT_STORED)
    def get(self, photo_id):
        """The display image (long side at most 2048 px, no metadata)."""
        photo = services.get_photo(g.user, photo_id)
        return _serve(photo, photo.display_key)

    @blp.auth_required(ADMIN, INSPECTOR)
    @blp.arguments(PhotoCaptionSchema)
    @blp.response(200, PhotoSchema)
    def patch(self, body, photo_id):
        """Change the caption of a photo of a draft inspection."""
        return services.photo_to_dict(services.set_caption(g.user, photo_id, body["caption"]))

    @blp.auth_required(ADMIN, INSPECTOR)
    @blp.response(204)
    def delete(self, photo_id):
        """Delete a photo of a draft inspection, with its files."""
        services.delete(g.user, photo_id)


@blp.route("/photos/<uuid:photo_id>/thumbnail")
class Thumbnail(MethodView):
    @blp.auth_required()
    @blp.response(200, content_type="image/jpeg")
    @_jpeg("The thumbnail")
    @etag.conditional(cache_control=NOT_STORED)
    def get(self, photo_id):
        """The thumbnail (at most 400 px)."""
        photo = services.get_photo(g.user, photo_id)
        return _serve(photo, photo.thumbnail_key)
