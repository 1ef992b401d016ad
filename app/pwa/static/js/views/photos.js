// An item's photos: from the camera or the gallery, each with its state, a caption and a delete
// button (draft only). What is listed is what the device holds plus what the server has.

import * as db from "../db.js";
import { h } from "../dom.js";
import { nb } from "../format.js";
import { downscale } from "../photo.js";
import { stateText } from "./item.js";

function picker(item, ctx, { id, label, camera }) {
  const input = h("input", {
    type: "file",
    id,
    accept: "image/*",
    capture: camera ? "environment" : null,
    class: `file-input${camera ? " camera-input" : ""}`,
    disabled: !ctx.draft,
    onchange: async () => {
      const file = input.files?.[0];
      if (file) await ctx.addPhoto(item, await downscale(file));
      input.value = "";
    },
  });
  return [
    h("label", { class: `btn file-label${camera ? " camera" : ""}`, for: id },
      camera ? h("span", { "aria-hidden": "true", text: "📷 " }) : null, label),
    input,
  ];
}

/** The thumbnail's box is in place at once and the picture fills it when read from the
 * device, so nothing below moves under a finger while it loads. */
function thumbnail(photo, item, ctx) {
  const img = h("img", { alt: "", width: "96", height: "72" });
  (async () => {
    const blob = photo.local ? await db.photoBlob(photo.local) : null;
    let src = photo.server?.thumbnail_url || null;
    if (blob) {
      src = URL.createObjectURL(blob);
      ctx.urls.push(src);
    }
    if (!src) return img.remove();
    img.alt = `Bilde til punktet: ${nb(item.question)}`;
    img.src = src;
  })();
  return img;
}

function photoRow(photo, item, ctx) {
  const key = photo.local?.id || photo.server.id;
  const caption = h("input", {
    type: "text",
    id: `caption-${key}`,
    value: photo.local?.caption ?? photo.server?.caption ?? "",
    maxlength: "500",
    disabled: !ctx.draft,
    onchange: () => ctx.setCaption(photo, caption.value),
  });
  const row = h("li", { "data-photo": key },
    thumbnail(photo, item, ctx),
    h("span", { class: "photo-state", text: photo.local ? stateText(photo.local) : "Sendt" }),
    h("label", { for: caption.id, text: "Bildetekst" }), caption,
    ctx.draft
      ? h("button", { type: "button", class: "btn btn-small", onclick: () => ctx.deletePhoto(photo) },
          "Slett bildet", h("span", { class: "visually-hidden", text: ` til «${nb(item.question)}»` }))
      : null);
  return row;
}

export function photoPanel(item, ctx) {
  const list = h("ul", { class: "photos" });
  for (const photo of ctx.photosOf(item.id)) list.append(photoRow(photo, item, ctx));
  const required = item.photo === "required_on_barrier"
    ? h("p", { class: "hint", text: "Bilde er påkrevd når svaret er et avvik." })
    : null;
  return h("div", { class: "photo-part" },
    h("p", { class: "value-label", text: "Bilder" }),
    required,
    h("div", { class: "actions" },
      picker(item, ctx, { id: `photo-${item.id}`, label: "Ta bilde", camera: true }),
      picker(item, ctx, { id: `gallery-${item.id}`, label: "Velg fra galleri", camera: false })),
    list.childElementCount ? list : h("p", { class: "hint", text: "Ingen bilder ennå." }));
}
