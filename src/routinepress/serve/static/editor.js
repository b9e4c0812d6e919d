// routinepress editor, part 3 of 3: diagnostics at their fields, and the server: preview
// about a second after an edit, open, save, download. Starts the page.
"use strict";

// ---- diagnostics -----------------------------------------------------------------------
// A diagnostic's path may be deeper than any field ($...reps.max) or name a whole entry:
// it is shown at the nearest element whose path is a prefix of it.
function placeOf(path) {
  let p = path;
  while (p) {
    const el = document.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (el) return el;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) return null;
    p = p.slice(0, cut);
  }
  return null;
}

function showDiagnostics() {
  document.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  document.querySelectorAll(".error").forEach((el) => { el.textContent = ""; });
  document.querySelectorAll(".exercise.invalid").forEach((el) => el.classList.remove("invalid"));
  const items = [];
  for (const found of state.diagnostics) {
    const d = plain(found);
    const el = d.path && d.path.startsWith("$") ? placeOf(d.path) : null;
    let text = d.message + (d.hint ? ` (${d.hint})` : "");
    // typed text where a number belongs: say what to type
    if (el && el.dataset.hint && typeof getAt(state.doc, partsOf(el.dataset.path)) === "string") text += `. ${el.dataset.hint}`;
    if (el) {
      const slot = document.getElementById(`${el.id}-error`) || (el.closest(".field, .exercise") || el).querySelector(".error");
      if (slot) slot.textContent = slot.textContent ? `${slot.textContent}; ${text}` : text;
      if (["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) el.setAttribute("aria-invalid", "true");
      const card = el.closest(".exercise"); if (card) card.classList.add("invalid");
    }
    // a plain sentence names its field already ("Hold must be ..."): the summary adds the exercise
    items.push(h("li", {}, el ? h("button", { type: "button", onclick: () => focusPlace(el) },
                                  [d.named ? where(el, false) : where(el), text].filter(Boolean).join(": "))
                                 : `${d.file ? d.file + ": " : ""}${d.path ? d.path + ": " : ""}${text}`));
  }
  const box = $("#problems");
  if (!items.length) { box.replaceChildren(); return; }
  box.replaceChildren(h("strong", { text: items.length === 1 ? "One problem to fix:" : `${items.length} problems to fix:` }), h("ul", {}, items));
}
// "Clamshell, Reps": the words a person sees next to the field (without the field's own label: "Clamshell").
function where(el, withLabel = true) {
  const card = el.closest(".exercise");
  const name = card && card.querySelector("h3").textContent.replace(/^\d+\.\s*/, "");
  return [name, withLabel ? labelOf(el) : ""].filter(Boolean).join(", ");
}
function labelOf(el) {
  const label = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
  return label ? label.textContent : el.getAttribute("aria-label") || (el.matches(".exercise") ? "" : el.dataset.path);
}

// The schema checker's words for the editor's own fields, said plainly ("Hold must be more
// than 0 seconds"), and a missing field's diagnostic moved from its parent to the field.
// Anything not recognised is shown as the server said it.
function plain(d) {
  let path = d.path || "";
  const missing = /^'([A-Za-z_]+)' is missing \(required\)$/.exec(d.message);
  if (missing && document.querySelector(`[data-path="${CSS.escape(`${path}.${missing[1]}`)}"]`)) path = `${path}.${missing[1]}`;
  const el = path.startsWith("$") ? document.querySelector(`[data-path="${CSS.escape(path)}"]`) : null;
  if (!el || !el.matches("input, select, textarea")) return { ...d, path };
  // "Hold (seconds)" -> "Hold" and "seconds"
  const [, name, unit] = /^(.*?)\s*(?:\((\w+)\))?$/.exec(labelOf(el));
  const units = unit ? ` ${unit}` : "";
  const said = (message, hint = null) => ({ ...d, path, message, hint, named: true });
  let m;
  if (missing) return said(`${name} is missing`);
  if (/^is too short: 0 characters/.test(d.message)) return said(`${name} is empty`);
  if ((m = /^the range runs backwards: min (\d+) is more than max (\d+)/.exec(d.message)))
    return said(`${name}: the first number is bigger than the second`, `type ${m[2]}-${m[1]}`);
  if ((m = /^-?[\d.]+ is less than or equal to the minimum of (-?[\d.]+)$/.exec(d.message)))
    return said(`${name} must be more than ${m[1]}${units}`);
  if ((m = /^-?[\d.]+ is less than the minimum of (-?[\d.]+)$/.exec(d.message)))
    return said(`${name} must be at least ${m[1]}${units}`);
  if ((m = /^-?[\d.]+ is greater than the maximum of (-?[\d.]+)$/.exec(d.message)))
    return said(`${name} can be at most ${m[1]}${units}`);
  if (/^as_needed: true sets no schedule/.test(d.message))
    return said(`${name}: not with “${LABELS.as_needed}”`, "clear one of them");
  return { ...d, path };
}
function focusPlace(el) {
  const target = el.matches("input, select, textarea") ? el : el.querySelector("input, select, textarea") || el;
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

// ---- talking to the server -----------------------------------------------------------
function api(url, init = {}) {
  const headers = { ...(init.headers || {}) };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  return fetch(url, { ...init, headers }).then((res) => {
    if (res.status === 401) status("This server needs its token: open the address it printed when it started.", "bad");
    return res;
  });
}
const jsonBody = (doc) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(doc) });

function status(text, kind) {
  const el = $("#status");
  el.textContent = text;
  el.title = text; // the whole message, where the line is cut short
  el.className = kind || "";
}

function changed() {
  state.dirty = true;
  clearTimeout(state.timer);
  state.timer = setTimeout(preview, PREVIEW_DELAY_MS);
  $("#pages").classList.add("stale");
}

function hasExercises() {
  return state.doc.sections.some((s) => s.exercises.length);
}

async function preview() {
  const seq = ++state.previewSeq;
  const pages = $("#pages");
  if (!hasExercises()) {
    state.diagnostics = []; showDiagnostics(); pages.replaceChildren(); pages.classList.remove("stale");
    $("#preview-note").textContent = "Add an exercise from the catalog to see the handout.";
    return;
  }
  status("Updating the preview…");
  const width = Math.min(pages.clientWidth || 800, 832);
  const scale = Math.max(0.5, Math.min(2.5, (width / 612) * (window.devicePixelRatio || 1)));
  const q = new URLSearchParams({ scale: scale.toFixed(2) });
  if (validName()) q.set("name", state.name);
  const res = await api(`/api/preview?${q}`, jsonBody(state.doc));
  if (seq !== state.previewSeq) return; // a newer edit has asked for its own preview
  if (res.status === 422) {
    state.diagnostics = (await res.json()).diagnostics;
    showDiagnostics();
    status(state.diagnostics.length === 1 ? "One problem: see the marked field." : `${state.diagnostics.length} problems: see the marked fields.`, "bad");
    return;
  }
  if (!res.ok) { status(await errorText(res), "bad"); return; }
  const data = await res.json();
  state.diagnostics = []; showDiagnostics();
  const imgs = data.pages.map((p, i) => h("img", { src: p.png, width: p.width, height: p.height, alt: `Page ${i + 1} of ${data.page_count}` }));
  pages.replaceChildren(...imgs);
  pages.classList.remove("stale");
  pages.dataset.version = String(seq);
  $("#preview-note").textContent = `${data.page_count} page${data.page_count === 1 ? "" : "s"}` +
    (data.pages.length < data.page_count ? ` (the first ${data.pages.length} shown)` : "");
  status(data.warnings.length ? `Preview up to date. Warning: ${data.warnings[0].message}` : "Preview up to date.", data.warnings.length ? "bad" : "ok");
}

async function errorText(res) {
  try {
    const body = await res.json();
    // a problem outside the spec (a broken routinepress.toml, a bad catalog entry) names its file
    const d = body.diagnostics && body.diagnostics[0];
    if (d) return `${d.file}${d.path ? ` ${d.path}` : ""}: ${d.message}`;
    return body.error || `The server answered ${res.status}.`;
  } catch { return `The server answered ${res.status}.`; }
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;
function validName() { return NAME_RE.test(state.name); }

async function save() {
  state.name = $("#name").value.trim();
  if (!validName()) {
    $("#name").setAttribute("aria-invalid", "true"); $("#name").focus();
    status("Give the handout a name: letters, digits, - and _ (it is saved as handouts/NAME.json).", "bad");
    return;
  }
  $("#name").removeAttribute("aria-invalid");
  const known = [...$("#open").options].some((o) => o.value === state.name);
  if (known && state.opened !== state.name && !confirm(`handouts/${state.name}.json exists. Replace it?`)) return;
  status("Saving…");
  // Replace only the version this window opened: a save from another window (or a new
  // file of the same name) in between is not overwritten unasked.
  const mine = state.opened === state.name && state.version;
  const put = (condition) => api(`/api/handouts/${encodeURIComponent(state.name)}`,
                                 { ...jsonBody(state.doc), method: "PUT", headers: { "Content-Type": "application/json", ...condition } });
  let res = await put(mine ? { "If-Match": state.version } : known ? {} : { "If-None-Match": "*" });
  if (res.status === 412) {
    const why = await errorText(res);
    if (!confirm(`${why}. Replace that version with yours? (Cancel keeps it; you can save yours under another name.)`)) {
      status(`Not saved: ${why}.`, "bad");
      return;
    }
    res = await put({});
  }
  if (res.status === 422) {
    state.diagnostics = (await res.json()).diagnostics; showDiagnostics();
    status("Not saved: fix the marked fields first.", "bad");
    return;
  }
  if (!res.ok) { status(`Not saved: ${await errorText(res)}`, "bad"); return; }
  const data = await res.json();
  state.dirty = false; state.opened = state.name; state.version = res.headers.get("ETag");
  await loadList();
  status(`Saved ${data.path}.`, "ok");
}

async function download() {
  status("Building the PDF…");
  const q = validName() ? `?name=${encodeURIComponent(state.name)}` : "";
  const res = await api(`/api/build${q}`, jsonBody(state.doc));
  if (res.status === 422) { state.diagnostics = (await res.json()).diagnostics; showDiagnostics(); status("Fix the marked fields first.", "bad"); return; }
  if (!res.ok) { status(await errorText(res), "bad"); return; }
  const url = URL.createObjectURL(await res.blob());
  const a = h("a", { href: url, download: `${validName() ? state.name : "handout"}.pdf` });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  status("PDF downloaded.", "ok");
}

async function loadList() {
  const res = await api("/api/handouts");
  if (!res.ok) return;
  const { handouts } = await res.json();
  const sel = $("#open");
  sel.replaceChildren(h("option", { value: "", text: "New handout" }),
    ...handouts.map((x) => h("option", { value: x.name, selected: x.name === state.opened, text: x.title ? `${x.name} — ${x.title}` : x.name })));
}

async function open(name) {
  if (state.dirty && !confirm("Leave the changes you have not saved?")) { $("#open").value = state.opened || ""; return; }
  if (!name) { state.doc = blank(); state.name = ""; state.opened = ""; state.version = null; }
  else {
    const res = await api(`/api/handouts/${encodeURIComponent(name)}`);
    if (!res.ok) { status(res.status === 422 ? `handouts/${name}.json is not valid JSON.` : await errorText(res), "bad"); return; }
    const doc = await res.json();
    if (!doc || typeof doc !== "object" || !Array.isArray(doc.sections)) { status(`handouts/${name}.json is not a routine spec.`, "bad"); return; }
    state.doc = doc; state.name = name; state.opened = name; state.version = res.headers.get("ETag");
  }
  $("#name").value = state.name;
  state.diagnostics = []; state.target = 0;
  render(); changed(); state.dirty = false;
  status(name ? `Opened handouts/${name}.json.` : "New handout.");
}

function blank() {
  return { spec_version: 1, title: "Home exercise program", date: new Date().toISOString().slice(0, 10),
           sections: [{ title: "Exercises", exercises: [] }] };
}

async function start() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("token")) { state.token = hash.get("token"); sessionStorage.setItem("routinepress-token", state.token); history.replaceState(null, "", location.pathname); }
  const [schemas, catalog] = await Promise.all([api("/api/schemas"), api("/api/catalog")]);
  if (!schemas.ok || !catalog.ok) { status(await errorText(schemas.ok ? catalog : schemas), "bad"); return; }
  state.schemas = await schemas.json();
  const data = await catalog.json();
  state.catalog = data.exercises; state.catalogFilters = data.filters;
  for (const ex of data.exercises) state.byId[ex.id] = ex;
  $("#folder").textContent = `· ${state.schemas.folder}`;
  state.doc = blank();
  await loadList();
  render(); preview();
  $("#open").addEventListener("change", (ev) => open(ev.target.value));
  $("#name").addEventListener("input", (ev) => { state.name = ev.target.value.trim(); });
  $("#save").addEventListener("click", save);
  $("#download").addEventListener("click", download);
  window.addEventListener("beforeunload", (ev) => { if (state.dirty) ev.preventDefault(); });
  document.body.dataset.ready = "true";
}

start();
