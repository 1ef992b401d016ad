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
