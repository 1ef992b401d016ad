// Photos are downscaled on the phone before they are queued: a 12-48 MP camera image becomes
// a JPEG of at most 2048 px on its long side, which is all an assessment needs.

const MAX_SIDE = 2048;
const QUALITY = 0.85;

export async function downscale(file) {
  let source;
  try {
    source = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return file; // a format the browser cannot decode (HEIC): the server converts it
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(source.width, source.height));
  const width = Math.round(source.width * scale);
  const height = Math.round(source.height * scale);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d").drawImage(source, 0, 0, width, height);
  source.close?.();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
  return blob || file;
}
