// Norwegian (bokmål) formatting of numbers, money, dates, and the labels of shared codes.

const LOCALE = "nb-NO";
const number = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });
const money = new Intl.NumberFormat(LOCALE, {
  style: "currency",
  currency: "NOK",
  maximumFractionDigits: 0,
});
const percent = new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 1 });
const day = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "long", year: "numeric" });
const moment = new Intl.DateTimeFormat(LOCALE, { dateStyle: "long", timeStyle: "short" });

export const num = (v) => (v === null || v === undefined || v === "" ? "–" : number.format(v));
export const kr = (v) => (v === null || v === undefined ? "–" : money.format(v));
export const pct = (share) => (share === null || share === undefined ? "–" : percent.format(share));
export const date = (iso) => (iso ? day.format(new Date(iso)) : "–");
export const dateTime = (iso) => (iso ? moment.format(new Date(iso)) : "–");

/** Parse what a person types: "1 250,5" or "1250.5" -> 1250.5; null when not a number. */
export function parseDecimal(text) {
  const cleaned = String(text).trim().replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

/** A number as a person would type it back (decimal comma, no grouping). */
export const typed = (v) => (v === null || v === undefined ? "" : String(v).replace(".", ","));

export const CLASSES = {
  suitable: { label: "Egnet", icon: "✓" },
  adaptable: { label: "Egnet etter tilpasning", icon: "◐" },
  unsuitable: { label: "Ikke egnet", icon: "✗" },
  unknown: { label: "Ikke vurdert", icon: "?" },
  not_assessed: { label: "Ikke befart", icon: "–" },
};

export const ROLES = {
  admin: "Administrator",
  inspector: "Befarer",
  allocation_officer: "Tildelingskonsulent",
  facility_manager: "Eiendomsforvalter",
};

export const UNIT_STATUS = {
  vacant: "Ledig",
  reserved: "Reservert (tilbudt)",
  let: "Utleid",
  renovation: "Under oppussing",
  inactive: "Ikke i bruk",
};

export const APPLICANT_STATUS = {
  waiting: "Venter",
  offered: "Tilbudt bolig",
  housed: "Bosatt",
  withdrawn: "Trukket",
};

export const OFFER_STATUS = {
  offered: "Tilbudt, venter på svar",
  accepted: "Takket ja",
  declined: "Takket nei",
  withdrawn: "Trukket tilbake",
};

/** The general score concerns every resident: never show its key. */
export const GENERAL_LABEL = "Alle beboere";

export const INSPECTION_STATUS = {
  draft: "Utkast",
  submitted: "Sendt inn",
  approved: "Godkjent",
};

export const nb = (text) => (text && typeof text === "object" ? text.nb || text.en || "" : text);

const LENGTHS = { mm: 1, cm: 10, dm: 100, m: 1000, km: 1000000 };

/** What a person types for a measurement, in the item's unit: "1400", "1 400", "1400 mm",
 * "1,4 m" and "140 cm" are all 1400 where the unit is mm. {value} or {error} (Norwegian). */
export function parseMeasurement(text, unit) {
  const compact = String(text).trim().toLowerCase().replace(/[\s\u00a0\u202f]/g, "");
  const match = /^(-?[\d.,]+)([a-zæøå%²2]*)$/.exec(compact);
  const example = measurementExample(unit);
  if (!match) return { error: `Skriv et tall${example}.` };
  const value = parseDecimal(match[1].replace(/\.(?=\d{3}(\D|$))/g, ""));
  if (value === null) return { error: `Skriv et tall${example}.` };
  const typedUnit = match[2];
  const own = (unit || "").toLowerCase();
  if (!typedUnit || typedUnit === own) return { value };
  if (typedUnit in LENGTHS && own in LENGTHS) {
    return { value: Math.round(((value * LENGTHS[typedUnit]) / LENGTHS[own]) * 1000) / 1000 };
  }
  return { error: `«${match[2]}» er ikke en enhet her. Skriv målet i ${unit || "tall"}${example}.` };
}

function measurementExample(unit) {
  if (unit === "mm") return ", for eksempel 1400, 1 400 mm, 140 cm eller 1,4 m";
  if (unit === "m") return ", for eksempel 25, 25 m eller 2500 cm";
  if (unit === "%") return ", for eksempel 5 eller 6,5";
  return ", for eksempel 850 eller 6,5";
}
