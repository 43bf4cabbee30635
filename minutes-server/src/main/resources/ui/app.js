// The Minutes web UI: plain JS over /api/v1 (no build step). Pages are routed by the URL hash.
"use strict";

const API = "/api/v1";
const KEY = "minutes.apiKey";
const POLL_MS = 2000;
const main = document.getElementById("main");
let cleanup = []; // what the current page must stop (timers, event sources, charts) when the route changes

// ---- small helpers -------------------------------------------------------------------------------

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "style") el.style.cssText = v; // through the DOM: the Content-Security-Policy refuses style attributes
    else if (k === "html") el.innerHTML = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const fmt = {
  int: n => (n ?? 0).toLocaleString(),
  usd: n => n == null ? "—" : "$" + (n < 1 ? n.toFixed(4) : n.toFixed(2)), // one format, running or finished
  bytes: n => n < 1024 ? n + " B" : n < 1048576 ? (n / 1024).toFixed(1) + " KB" : (n / 1048576).toFixed(1) + " MB",
  ago(iso) {
    const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 60) return Math.round(s) + " s ago";
    if (s < 3600) return Math.round(s / 60) + " min ago";
    if (s < 86400) return Math.round(s / 3600) + " h ago";
    return Math.round(s / 86400) + " d ago";
  },
  duration(s) {
    if (s == null) return "—";
    s = Math.round(s);
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  },
  clock(s) {
    if (s == null) return "";
    s = Math.floor(s);
    const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
    return (hh ? hh + ":" + String(mm).padStart(2, "0") : mm) + ":" + String(ss).padStart(2, "0");
  },
};

const STATUS_TEXT = {
  queued: "Queued", running: "Running", processing: "Processing", waiting: "In provider batch", completed: "Completed", failed: "Failed",
  skipped: "Skipped", cancelled: "Cancelled", partial: "Partly done", budget_exhausted: "Budget spent",
};
function statusBadge(status) {
  return h("span", { class: "status " + status, "data-status": status }, STATUS_TEXT[status] || status);
}

function progressBar(c, big) {
  const total = Math.max(1, c.total);
  const done = c.completed + c.failed + c.skipped + c.cancelled;
  const pct = Math.round((done / total) * 100);
  const bar = h("div", {
    class: "bar" + (big ? " big" : ""), role: "progressbar", "aria-valuemin": 0, "aria-valuemax": c.total,
    "aria-valuenow": done, "aria-label": `${done} of ${c.total} meetings finished (${pct}%)`,
  });
  for (const k of ["completed", "skipped", "failed", "cancelled", "processing"]) {
    if (c[k] > 0) bar.append(h("span", { class: k, style: `width:${(c[k] / total) * 100}%`, title: `${c[k]} ${k}` }));
  }
  return bar;
}

function flash(message, kind = "error") {
  const el = document.getElementById("flash");
  el.replaceChildren(h("div", { class: "alert " + kind }, message));
  el.hidden = false;
}
function clearFlash() {
  const el = document.getElementById("flash");
  el.hidden = true;
  el.replaceChildren();
}

// ---- the API, with the key prompt ----------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || "HTTP " + status);
    this.status = status;
    this.problem = problem || {};
  }
}

let keyPrompt = null; // one prompt at a time; every 401 waits on it
function askForKey(reason) {
  if (keyPrompt) return keyPrompt;
  const dialog = document.getElementById("key-dialog");
  const input = document.getElementById("key-input");
  document.getElementById("key-reason").textContent = reason
    + " The key is kept in this browser tab only (session storage).";
  input.value = "";
  keyPrompt = new Promise(resolve => {
    dialog.addEventListener("close", () => {
      keyPrompt = null;
      const key = input.value.trim();
      if (key) sessionStorage.setItem(KEY, key);
      resolve(Boolean(key));
    }, { once: true });
  });
  dialog.showModal();
  input.focus();
  return keyPrompt;
}

async function api(path, options = {}, tries = 3) {
  const headers = new Headers(options.headers || {});
  const key = sessionStorage.getItem(KEY);
  if (key) headers.set("Authorization", "Bearer " + key);
  let res;
  try {
    res = await fetch(path.startsWith("/") ? path : API + "/" + path, { ...options, headers });
  } catch (e) {
    throw new ApiError(0, { title: "Service unreachable", detail: "the service did not answer (" + e.message + "); is 'minutes serve' running?" });
  }
  if (res.status === 401 && tries > 0) {
    const body = await res.json().catch(() => ({}));
    if (key) sessionStorage.removeItem(KEY);
    const reason = key ? "That API key was not accepted." : "This service needs an API key.";
    if (await askForKey(reason + (body.detail ? "" : ""))) return api(path, options, tries - 1);
    throw new ApiError(401, body);
  }
  if (!res.ok) {
    const type = res.headers.get("Content-Type") || "";
    const body = type.includes("json") ? await res.json().catch(() => null) : null;
    throw new ApiError(res.status, body || { title: "HTTP " + res.status, detail: await res.text().catch(() => "") });
  }
  return res;
}
const getJson = async path => (await api(path)).json();

/** A problem+json answer as a readable alert: what went wrong, and each field error. */
function problemAlert(e, context) {
  const p = e.problem || {};
  const titles = {
    400: "The submission was not accepted",
    413: "The upload is too large",
    503: "The service is at capacity",
    401: "API key needed",
    404: "Not found",
    409: "Not possible now",
  };
  const box = h("div", { class: "alert error", role: "alert" },
    h("h3", {}, (context ? context + ": " : "") + (titles[e.status] || p.title || "Something went wrong")),
    h("div", {}, p.detail || e.message));
  if (Array.isArray(p.errors) && p.errors.length) {
    box.append(h("ul", {}, p.errors.map(x => h("li", {}, h("code", {}, x.pointer || "(body)"), " — ", x.detail))));
  }
  if (e.status === 413 && p.limit) box.append(h("div", { class: "hint" }, `Limit: ${fmt.bytes(p.limit)}. Split the files into several batches.`));
  if (e.status === 503 && p.retry_after_seconds) box.append(h("div", { class: "hint" }, `Try again in about ${p.retry_after_seconds} s; nothing was queued.`));
  return box;
}

async function download(path, filename) {
  try {
    const blob = await (await api(path)).blob();
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: filename });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    flash(problemAlert(e, "Download failed"));
  }
}

// ---- router --------------------------------------------------------------------------------------

const routes = [
  [/^#?\/?$/, pageBatches, "batches"],
  [/^#\/new$/, pageNew, "new"],
  [/^#\/batch\/([^/]+)$/, pageBatch, "batches"],
  [/^#\/meeting\/([^/]+)$/, pageMeeting, "batches"],
];

async function route() {
  cleanup.forEach(fn => { try { fn(); } catch (_) { /* already stopped */ } });
  cleanup = [];
  clearFlash();
  const hash = location.hash || "#/";
  for (const [re, page, nav] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    document.querySelectorAll("[data-nav]").forEach(a => a.toggleAttribute("aria-current", a.dataset.nav === nav));
    document.querySelectorAll("[data-nav][aria-current]").forEach(a => a.setAttribute("aria-current", "page"));
    main.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    try {
      await page(...m.slice(1).map(decodeURIComponent));
    } catch (e) {
      main.replaceChildren(problemAlert(e instanceof ApiError ? e : new ApiError(0, { detail: String(e) })));
    }
    return;
  }
  main.replaceChildren(h("div", { class: "empty" }, "No such page. ", h("a", { href: "#/" }, "Back to the batches")));
}

function every(ms, fn) {
  const id = setInterval(fn, ms);
  cleanup.push(() => clearInterval(id));
}

// ---- Batches -------------------------------------------------------------------------------------

/** What a batch is called: its first meeting's title (or file) and how many more it holds. */
function batchName(b) {
  if (b.name) return b.name;
  const first = (b.results || [])[0];
  if (!first) return "Batch " + b.batch_id;
  const name = first.title || first.source || "Meeting 1";
  return b.total > 1 ? `${name} and ${b.total - 1} more` : name;
}

async function pageBatches() {
  document.title = "Batches · Minutes";
  const body = h("tbody");
  const table = h("div", { class: "card table-wrap" }, h("table", { id: "batches" },
    h("caption", { class: "hide-sm", style: "text-align:left;padding-bottom:.5rem;color:var(--muted)" }, "Newest first · updates live"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Batch"), h("th", { scope: "col", class: "hide-sm" }, "Status"), h("th", { scope: "col" }, "Progress"),
      h("th", { scope: "col", class: "num" }, "Meetings"), h("th", { scope: "col", class: "num hide-sm" }, "Tokens"),
      h("th", { scope: "col", class: "num hide-sm" }, "Cost"), h("th", { scope: "col", class: "num hide-sm" }, "Submitted"))),
    body));
  main.replaceChildren(
    h("div", { class: "row spread" }, h("div", {}, h("h1", {}, "Batches"), h("p", { class: "sub" }, "Every batch of meetings sent to this service.")),
      h("a", { class: "button primary", href: "#/new" }, "+ New batch")),
    table);
  async function refresh() {
    const data = await getJson("meetings/batch?limit=50");
    if (!data.batches.length) {
      body.replaceChildren(h("tr", {}, h("td", { colspan: 7, class: "empty" },
        "No batches yet. ", h("a", { href: "#/new" }, "Upload some transcripts"), " to get minutes.")));
      return;
    }
    body.replaceChildren(...data.batches.map(b => h("tr", { "data-batch": b.batch_id },
      h("td", {}, h("a", { href: "#/batch/" + b.batch_id, class: "batch-name", title: b.batch_id }, batchName(b)),
        h("div", { class: "hint mono batch-id" }, b.batch_id), h("div", { class: "hint" }, b.provider || ""),
        h("div", { class: "show-sm" }, statusBadge(b.status))), // on a phone the status goes under the name: the row fits
      h("td", { class: "hide-sm" }, statusBadge(b.status)),
      h("td", { class: "progress-cell" }, progressBar(b)),
      h("td", { class: "num meetings-cell" }, `${b.completed + b.failed + b.skipped + b.cancelled} / ${b.total}`,
        b.failed ? h("div", { class: "hint", style: "color:var(--failed)" }, b.failed + " failed") : null),
      h("td", { class: "num hide-sm" }, fmt.int(b.tokens?.total)),
      h("td", { class: "num hide-sm" }, fmt.usd(b.cost_usd)),
      h("td", { class: "num hide-sm", title: b.submitted_at }, fmt.ago(b.submitted_at)))));
  }
  await refresh();
  every(POLL_MS, () => refresh().catch(() => { /* the next poll tries again */ }));
}

// ---- New batch -----------------------------------------------------------------------------------

const TYPES = {
  vtt: "WebVTT captions", srt: "SubRip captions", txt: "Plain text", md: "Plain text", json: "JSON transcript",
  zip: "ZIP archive", docx: "Word document", mp3: "Audio", wav: "Audio", m4a: "Audio", ogg: "Audio",
  flac: "Audio", webm: "Audio/video", mp4: "Video", opus: "Audio",
};
function detectType(name) {
  const ext = name.includes(".") ? name.split(".").pop().toLowerCase() : "";
  return TYPES[ext] || (ext ? "." + ext + " (the service decides)" : "No extension (read as text)");
}

function pageNew() {
  document.title = "New batch · Minutes";
  const queue = []; // File objects waiting for "Process all"
  const status = h("div", { id: "submit-status", "aria-live": "polite" });
  const fileInput = h("input", { type: "file", id: "file-input", multiple: true, tabindex: -1, "aria-hidden": "true",
    accept: ".vtt,.srt,.txt,.md,.json,.zip,.docx,.mp3,.wav,.m4a,.ogg,.flac,.webm,.mp4,.opus,text/*",
    style: "position:absolute;width:1px;height:1px;opacity:0" });
  const queueBody = h("tbody");
  const queueCard = h("div", { class: "card table-wrap", id: "queue" });
  const pasteTitle = h("input", { type: "text", id: "paste-title", placeholder: "e.g. Weekly product sync" });
  const pasteText = h("textarea", { id: "paste-text", placeholder: "Alice: Let's ship on Friday.\nBob: I'll write the release notes by Monday." });
  const submit = h("button", { type: "submit", class: "button primary", id: "process-all" }, "Process all");

  function addFiles(files) {
    for (const f of files) queue.push(f);
    renderQueue();
  }
  function renderQueue() {
    const pasted = pasteText.value.trim();
    const count = queue.length + (pasted ? 1 : 0);
    submit.disabled = count === 0;
    submit.textContent = count ? `Process all (${count})` : "Process all";
    if (!queue.length) {
      queueCard.replaceChildren(h("h2", {}, "Queue"), h("p", { class: "muted", style: "margin:0" }, "No files yet."));
      return;
    }
    const total = queue.reduce((n, f) => n + f.size, 0);
    queueBody.replaceChildren(...queue.map((f, i) => h("tr", {},
      h("td", {}, f.name), h("td", {}, detectType(f.name)), h("td", { class: "num" }, fmt.bytes(f.size)),
      h("td", { class: "num" }, h("button", { type: "button", class: "small", "aria-label": "Remove " + f.name,
        onclick: () => { queue.splice(i, 1); renderQueue(); } }, "Remove")))));
    queueCard.replaceChildren(h("div", { class: "row spread" }, h("h2", {}, `Queue · ${queue.length} file${queue.length > 1 ? "s" : ""}`),
      h("span", { class: "muted" }, fmt.bytes(total))),
      h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "File"), h("th", { scope: "col" }, "Detected type"),
        h("th", { scope: "col", class: "num" }, "Size"), h("th", { scope: "col" }, h("span", { class: "hide-sm" }, "")))), queueBody),
      h("p", { class: "hint" }, "A ZIP becomes one meeting per transcript inside it."));
  }

  const drop = h("div", { class: "drop", id: "drop" },
    h("strong", {}, "Drop transcripts, recordings or ZIPs here"),
    h("p", { class: "muted", style: "margin:.25rem 0 1rem" }, "VTT, SRT, TXT, JSON, DOCX, audio — as many as you like"),
    h("label", { for: "file-input", class: "button", role: "button", style: "display:inline-flex;font-weight:400", tabindex: 0,
      onkeydown: e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); fileInput.click(); } } }, "Choose files…"),
    fileInput);
  fileInput.addEventListener("change", () => { addFiles(fileInput.files); fileInput.value = ""; });
  drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", e => { e.preventDefault(); drop.classList.remove("over"); addFiles(e.dataTransfer.files); });
  pasteText.addEventListener("input", renderQueue);

  const form = h("form", { id: "new-batch", novalidate: true },
    h("div", { class: "grid" },
      h("div", { class: "card" }, h("h2", {}, "Files"), drop),
      h("div", { class: "card" }, h("h2", {}, "Or paste one transcript"),
        h("label", { for: "paste-title" }, "Title"), pasteTitle,
        h("label", { for: "paste-text", style: "margin-top:.75rem" }, "Transcript"), pasteText,
        h("p", { class: "hint" }, "“Name: text” lines, VTT or SRT all work."))),
    queueCard,
    h("div", { class: "card" }, h("h2", {}, "Options"),
      h("div", { class: "grid" },
        h("fieldset", {}, h("legend", {}, "Tier"),
          h("label", {}, h("input", { type: "radio", name: "tier", value: "ordinary", checked: true }), "Ordinary"),
          h("label", {}, h("input", { type: "radio", name: "tier", value: "sensitive" }), "Sensitive"),
          h("p", { class: "hint" }, "Sensitive meetings only go to providers allowed for them.")),
        h("div", {}, h("label", { for: "on-duplicate" }, "If a meeting was already processed"),
          h("select", { id: "on-duplicate", name: "on_duplicate" },
            h("option", { value: "skip" }, "Skip it (reuse the minutes)"),
            h("option", { value: "replace" }, "Replace its minutes"),
            h("option", { value: "allow_duplicates" }, "Process it again as a new meeting"))))),
    status,
    h("div", { class: "row" }, submit, h("a", { href: "#/" }, "Cancel")));

  form.addEventListener("submit", async e => {
    e.preventDefault();
    const data = new FormData();
    for (const f of queue) data.append("files", f, f.name);
    const pasted = pasteText.value.trim();
    if (pasted) {
      const title = (pasteTitle.value.trim() || "Pasted transcript").replace(/[\\/:*?"<>|]+/g, "-");
      data.append("files", new File([pasted], title + ".txt", { type: "text/plain" }));
    }
    data.append("tier", form.querySelector("input[name=tier]:checked").value);
    data.append("on_duplicate", form.querySelector("#on-duplicate").value);
    submit.disabled = true;
    submit.textContent = "Uploading…";
    status.replaceChildren();
    try {
      const res = await (await api("meetings/batch/upload", { method: "POST", body: data })).json();
      location.hash = "#/batch/" + res.batch_id;
    } catch (err) {
      status.replaceChildren(problemAlert(err));
      status.querySelector(".alert")?.focus?.();
      renderQueue(); // nothing is lost: the queue and the paste box stay as they were
    }
  });

  main.replaceChildren(h("h1", {}, "New batch"),
    h("p", { class: "sub" }, "Add meetings, check the queue, then process them all at once."), form);
  renderQueue();
}

// ---- Batch ---------------------------------------------------------------------------------------

async function pageBatch(id) {
  document.title = "Batch · Minutes";
  const path = "meetings/batch/" + encodeURIComponent(id);
  const head = h("div");
  const overview = h("div", { class: "card", id: "overview" });
  const chartBox = h("div", { class: "chart", id: "chart" });
  const meetingsBody = h("tbody");
  const liveNote = h("span", { class: "live", id: "live" }, "connecting…");
  // the provider's own counts while meetings wait in a provider batch (batch lane), from the provider_batch events
  const providerNote = h("span", { class: "hint", id: "provider-batch" });
  main.replaceChildren(head, overview,
    h("div", { class: "card" }, h("div", { class: "row spread" }, h("h2", {}, "Throughput"), h("span", { class: "hint" }, "meetings finished over time")), chartBox),
    h("div", { class: "card table-wrap" }, h("h2", {}, "Meetings"),
      h("table", { id: "meetings" }, h("thead", {}, h("tr", {},
        h("th", { scope: "col", class: "num hide-sm" }, "#"), h("th", { scope: "col" }, "Meeting"), h("th", { scope: "col" }, "Status"),
        h("th", { scope: "col", class: "num" }, "Attempts"), h("th", { scope: "col", class: "num hide-sm", title: "time from the batch's submission to this meeting's end" }, "Done after"),
        h("th", { scope: "col", class: "num hide-sm" }, "Tokens"), h("th", { scope: "col", class: "num hide-sm" }, "Cost"))), meetingsBody)));

  let batch = null;
  let plot = null;
  let stopped = false;
  cleanup.push(() => { stopped = true; plot?.destroy(); });

  function renderHead(b) {
    // the provider's counts as the status last read them (a page opened mid-batch shows them before any event)
    const waitingIn = (b.provider_batches || []).filter(p => p.done < p.total);
    if (waitingIn.length) providerNote.textContent = waitingIn.map(p => p.message).join(" · ");
    const finished = b.queued + b.processing + (b.waiting || 0) === 0;
    const cancel = h("button", { type: "button", class: "button danger", id: "cancel", disabled: finished,
      onclick: async () => {
        if (!confirm("Cancel the queued and running meetings of this batch?")) return;
        try { await api(path + "/cancel", { method: "POST" }); refresh(); } catch (e) { flash(problemAlert(e, "Cancel")); }
      } }, "Cancel batch");
    const retry = h("button", { type: "button", class: "button", id: "retry", disabled: b.failed === 0,
      onclick: async () => {
        try {
          const r = await (await api(path + "/retry", { method: "POST" })).json();
          flash(`${r.requeued} failed meeting${r.requeued === 1 ? "" : "s"} queued again.`, "ok");
          refresh(); connect();
        } catch (e) { flash(problemAlert(e, "Retry")); }
      } }, `Retry failed${b.failed ? " (" + b.failed + ")" : ""}`);
    head.replaceChildren(
      h("p", { class: "hint", style: "margin:0" }, h("a", { href: "#/" }, "← Batches")),
      h("div", { class: "row spread" },
        h("div", {}, h("h1", { id: "batch-name", title: b.batch_id }, batchName(b), " ", statusBadge(b.status)),
          h("p", { class: "sub" }, h("span", { class: "mono", id: "batch-id" }, b.batch_id),
            ` · submitted ${fmt.ago(b.submitted_at)} · ${b.provider || ""} · `, liveNote,
            (b.waiting || 0) > 0 && providerNote.textContent ? " · " : "", (b.waiting || 0) > 0 ? providerNote : "")),
        h("div", { class: "row" }, retry, cancel,
          h("button", { type: "button", class: "button", id: "download-ndjson", onclick: () => download(path + "/results", b.batch_id + ".ndjson") }, "⬇ NDJSON"),
          h("button", { type: "button", class: "button", id: "download-zip", onclick: () => download(path + "/results?format=zip", b.batch_id + ".zip") }, "⬇ ZIP of Markdown"))));
  }

  function renderOverview(b) {
    const done = b.completed + b.failed + b.skipped + b.cancelled;
    const pct = b.total ? Math.round((done / b.total) * 100) : 100;
    const legend = ["completed", "processing", "waiting", "queued", "failed", "skipped", "cancelled"]
      .filter(k => b[k] > 0).map(k => h("span", {}, statusBadge(k === "processing" ? "running" : k), " ", b[k]));
    overview.replaceChildren(
      h("div", { class: "row spread" }, h("strong", { id: "progress-text" }, `${done} of ${b.total} finished · ${pct}%`),
        h("span", { class: "muted" }, b.eta_seconds == null ? "ETA: estimating…" : b.eta_seconds === 0 ? "Done" : "ETA " + fmt.duration(b.eta_seconds))),
      h("div", { style: "margin-top:.5rem" }, progressBar(b, true)),
      h("div", { class: "legend" }, legend),
      h("dl", { class: "stats" },
        h("div", {}, h("dt", {}, "Tokens"), h("dd", {}, fmt.int(b.tokens?.total))),
        h("div", {}, h("dt", {}, "Cost so far"), h("dd", {}, fmt.usd(b.cost_usd))),
        h("div", {}, h("dt", {}, "Estimated cost"), h("dd", {}, fmt.usd(b.estimated_cost))),
        h("div", {}, h("dt", {}, "On duplicate"), h("dd", {}, b.on_duplicate || "—")),
        b.deadline ? h("div", {}, h("dt", {}, "Deadline"), h("dd", { id: "deadline", title: b.deadline }, new Date(b.deadline).toLocaleString())) : null,
        b.deadline && b.cut_over ? h("div", {}, h("dt", { title: "what still waits in a provider batch runs realtime from then" }, "Cut-over"),
          h("dd", { id: "cut-over", title: b.cut_over }, new Date(b.cut_over).toLocaleString())) : null,
        b.budget ? h("div", {}, h("dt", {}, "Budget"), h("dd", { id: "budget" },
          `${fmt.usd(b.budget.spent_usd)} spent + ${fmt.usd(b.budget.reserved_usd)} reserved of ${fmt.usd(b.budget.limit_usd)}`)) : null));
  }

  function renderMeetings(b) {
    const started = Date.parse(b.submitted_at);
    meetingsBody.replaceChildren(...b.results.map(r => {
      const row = h("tr", { "data-meeting": r.meeting_id, "data-status": r.status },
        h("td", { class: "num muted hide-sm" }, r.index + 1),
        h("td", {}, r.status === "completed" || r.status === "failed" || r.status === "skipped"
          ? h("a", { href: "#/meeting/" + r.meeting_id }, r.title || r.source) : (r.title || r.source),
          r.source && r.source !== r.title ? h("div", { class: "hint hide-sm" }, r.source) : null,
          r.error ? h("details", { class: "err" }, h("summary", {}, r.status === "skipped" ? "Why it was skipped" : "Error details"),
            h("pre", {}, r.error)) : null),
        h("td", {}, statusBadge(r.status)),
        h("td", { class: "num" }, r.attempts),
        h("td", { class: "num hide-sm", title: "from submission to completion" },
          r.completed_at ? fmt.duration((Date.parse(r.completed_at) - started) / 1000) : "—"),
        h("td", { class: "num hide-sm" }, r.tokens == null ? "—" : fmt.int(r.tokens)),
        h("td", { class: "num hide-sm" }, fmt.usd(r.cost_usd)));
      return row;
    }));
  }

  function renderChart(b) {
    const start = Date.parse(b.submitted_at) / 1000;
    const times = b.results.filter(r => r.completed_at).map(r => Date.parse(r.completed_at) / 1000).sort((a, c) => a - c);
    if (!times.length) { // an empty series gives uPlot no time range: it drew years
      plot?.destroy(); plot = null;
      chartBox.replaceChildren(h("p", { class: "muted", id: "chart-empty" }, "No meetings finished yet."));
      return;
    }
    const end = b.queued + b.processing + (b.waiting || 0) > 0 ? Math.max(Date.now() / 1000, times[times.length - 1]) : times[times.length - 1];
    const span = Math.max(1, end - start);
    const win = Math.min(60, Math.max(5, span / 5)); // meetings/s over the last `window` seconds: no sawtooth
    const step = span / 120;
    const xs = [], done = [], rate = [];
    for (let i = 0, x = start; i <= 120; i++, x = start + i * step) {
      let n = 0, recent = 0;
      for (const t of times) { if (t <= x) { n++; if (t > x - win) recent++; } }
      xs.push(x); done.push(n); rate.push(recent / Math.min(win, Math.max(1, x - start)));
    }
    if (typeof uPlot === "undefined") { chartBox.textContent = `${times.length} finished (chart library not loaded)`; return; }
    const width = Math.max(280, chartBox.clientWidth || 600);
    if (plot) { plot.setData([xs, done, rate]); plot.setSize({ width, height: 220 }); return; }
    chartBox.replaceChildren();
    plot = new uPlot({
      width, height: 220, legend: { live: false },
      series: [{}, { label: "Completed", stroke: "#18794e", width: 2, fill: "rgba(24,121,78,.08)" },
        { label: `Meetings/s (last ${Math.round(win)} s)`, stroke: "#2f5bd3", width: 1.5, scale: "rate", value: (u, v) => v == null ? "—" : v.toFixed(2) }],
      axes: [{}, { label: "completed" }, { side: 1, scale: "rate", label: "per s", grid: { show: false } }],
      scales: { x: { time: true } },
    }, [xs, done, rate], chartBox);
  }

  function render(b) {
    batch = b;
    document.title = `${batchName(b)} · ${STATUS_TEXT[b.status] || b.status} · Minutes`;
    renderHead(b); renderOverview(b); renderMeetings(b); renderChart(b);
  }

  let pending = null;
  async function refresh() {
    if (stopped) return;
    const b = await getJson(path);
    if (!stopped) render(b);
  }
  function refreshSoon() { // many events arrive together: one read for them all
    if (pending) return;
    pending = setTimeout(() => { pending = null; refresh().catch(() => {}); }, 250);
  }

  let source = null, poller = null;
  function poll(reason) {
    if (poller || stopped) return;
    liveNote.textContent = "live (polling every 2 s)";
    liveNote.className = "live poll";
    liveNote.title = reason;
    poller = setInterval(async () => {
      try { await refresh(); } catch (_) { return; }
      if (batch && batch.queued + batch.processing + (batch.waiting || 0) === 0) { clearInterval(poller); poller = null; liveNote.textContent = "finished"; }
    }, POLL_MS);
    cleanup.push(() => { clearInterval(poller); poller = null; });
  }
  function connect() {
    source?.close();
    if (sessionStorage.getItem(KEY) || typeof EventSource === "undefined") { // EventSource cannot send the key
      poll("server-sent events cannot carry an API key");
      return;
    }
    source = new EventSource(API + "/" + path + "/events");
    cleanup.push(() => source?.close());
    source.addEventListener("open", () => { liveNote.textContent = "live"; liveNote.className = "live"; });
    source.addEventListener("progress", refreshSoon);
    source.addEventListener("meeting", refreshSoon);
    source.addEventListener("provider_batch", e => { providerNote.textContent = JSON.parse(e.data).message; refreshSoon(); });
    source.addEventListener("done", () => { source.close(); refresh().catch(() => {}); liveNote.textContent = "finished"; });
    source.addEventListener("error", () => { if (source.readyState === EventSource.CLOSED || !batch || batch.queued + batch.processing + (batch.waiting || 0) > 0) { source.close(); poll("the event stream was interrupted"); } });
  }

  await refresh();
  if (batch.queued + batch.processing + (batch.waiting || 0) > 0) connect(); else liveNote.textContent = "finished";
  const onResize = () => plot && plot.setSize({ width: Math.max(280, chartBox.clientWidth), height: 220 });
  window.addEventListener("resize", onResize);
  cleanup.push(() => window.removeEventListener("resize", onResize));
}

// ---- Meeting -------------------------------------------------------------------------------------

async function pageMeeting(id) {
  const m = await getJson("meetings/" + encodeURIComponent(id));
  const a = m.analysis;
  document.title = (a?.title || m.title || "Meeting") + " · Minutes";
  const back = h("p", { class: "hint", style: "margin:0" }, h("a", { href: "#/batch/" + m.batch_id, title: m.batch_id }, "← Back to its batch"));
  const header = h("div", { class: "row spread" },
    h("div", {}, h("h1", {}, a?.title || m.title || m.source, " ", statusBadge(m.status)),
      h("p", { class: "sub" }, [m.source, m.date ? "held " + m.date : null, m.tier === "sensitive" ? "sensitive tier" : null,
        m.completed_at ? "completed " + fmt.ago(m.completed_at) : null,
        a?.template ? "template " + a.template : null, a?.language ? "language " + a.language : null,
        m.usage ? fmt.int(m.usage.input_tokens + m.usage.output_tokens) + " tokens · " + fmt.usd(m.usage.cost_usd) : null]
        .filter(Boolean).join(" · "))));
  const parts = [back, header];
  const why = m.reason || m.error;
  if (why) parts.push(m.status === "skipped"
    ? h("div", { class: "alert info", id: "skip-reason" }, h("h3", {}, "Skipped"), why)
    : h("div", { class: "alert error" }, h("h3", {}, "Why it failed"), why));

  // what the checks of the answer found (items whose evidence was not found, a template applied in part...)
  if (a?.warnings?.length) parts.push(h("div", { class: "alert info", id: "warnings" }, h("h3", {}, "Warnings"),
    h("ul", { class: "clean" }, a.warnings.map(w => h("li", {}, w)))));

  const tabs = [];
  if (a) {
    const items = a.action_items || [];
    tabs.push(["Minutes", h("div", {},
      h("section", { class: "card", "aria-labelledby": "h-summary" }, h("h2", { id: "h-summary" }, "Summary"),
        h("p", { class: "summary", id: "summary" }, a.summary || "—"),
        a.topics?.length ? h("p", { class: "hint" }, "Topics: " + a.topics.join(", ")) : null),
      h("section", { class: "card table-wrap", "aria-labelledby": "h-actions" }, h("h2", { id: "h-actions" }, `Action items (${items.length})`),
        items.length ? h("table", { id: "action-items" }, h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "Action"), h("th", { scope: "col" }, "Owner"), h("th", { scope: "col" }, "Due"),
          h("th", { scope: "col" }, "Said"))),
          h("tbody", {}, items.map(i => h("tr", { class: i.supported === false ? "unsupported" : "" }, h("td", {}, i.description),
            h("td", { class: "owner" }, i.owner || h("span", { class: "muted unassigned" }, "unassigned")),
            h("td", {}, i.due ? (i.due_date ? `${i.due} (${i.due_date})` : i.due) : h("span", { class: "muted" }, "—")),
            h("td", {}, evidence(i))))))
          : h("p", { class: "muted" }, "No action items recorded."),
        coverage(a.coverage || [])),
      h("div", { class: "grid" },
        h("section", { class: "card", "aria-labelledby": "h-decisions" }, h("h2", { id: "h-decisions" }, "Decisions"),
          a.decisions?.length ? h("ul", { class: "clean", id: "decisions" }, a.decisions.map(finding)) : h("p", { class: "muted" }, "No decisions recorded.")),
        h("section", { class: "card", "aria-labelledby": "h-questions" }, h("h2", { id: "h-questions" }, "Open questions"),
          a.open_questions?.length ? h("ul", { class: "clean", id: "open-questions" }, a.open_questions.map(finding)) : h("p", { class: "muted" }, "No open questions recorded."))),
      templateSections(a.sections || []),
      participants(a.participants || []))]);
  }
  if (m.transcript) tabs.push(["Transcript", transcript(m.transcript)]);
  tabs.push(["Raw JSON", h("pre", { id: "raw-json", tabindex: 0 }, JSON.stringify(m, null, 2))]);
  if (m.attempt_history?.length) tabs.push(["Attempts", attempts(m.attempt_history)]);
  parts.push(tabbed(tabs));
  main.replaceChildren(...parts);
}

/** The sections the meeting's template adds (motions, votes...; a stand-up's done / next / blocked per person). */
function templateSections(sections) {
  if (!sections.length) return null;
  return h("div", { class: "grid", id: "template-sections" }, sections.map(s =>
    h("section", { class: "card" }, h("h2", {}, s.name),
      s.items?.length ? h("ul", { class: "clean" }, s.items.map(i => h("li", {}, i))) : h("p", { class: "muted" }, "Nothing said."))));
}

/** A decision or open question with where it was said (a plain string: minutes stored before evidence). */
function finding(f) {
  if (typeof f === "string") return h("li", {}, f);
  return h("li", { class: f.supported === false ? "unsupported" : "" }, f.text, " ", evidence(f));
}

/**
 * Where an item was said: speaker, time and a link to its segment in the transcript tab; an item whose quote the
 * transcript does not hold is marked unsupported.
 */
function evidence(item) {
  const e = item.evidence;
  const flag = item.supported === false ? h("span", { class: "badge warn", title: "its quote was not found in the transcript" }, "unsupported") : null;
  if (!e) return flag || h("span", { class: "muted" }, "—");
  const label = [e.speaker, e.start != null ? fmt.clock(e.start) : null, "#" + e.segment].filter(Boolean).join(" · ");
  return h("span", { class: "evidence" }, flag, flag ? " " : null,
    h("a", { href: "#", class: "evidence-link", "data-segment": e.segment, title: e.quote ? "“" + e.quote + "”" : "",
      onclick: ev => { ev.preventDefault(); showSegment(e.segment); } }, label),
    e.quote ? h("q", { class: "muted" }, e.quote) : null);
}

/** Opens the transcript tab at segment {@code n}, highlighted. */
function showSegment(n) {
  document.getElementById("tab-transcript")?.click();
  const seg = document.getElementById("seg-" + n);
  if (!seg) return;
  document.querySelectorAll(".utt.hit").forEach(x => x.classList.remove("hit"));
  seg.classList.add("hit");
  seg.scrollIntoView({ block: "center" });
}

/** What each part of a long meeting contributed to the minutes. */
function coverage(parts) {
  if (!parts.length) return null;
  const n = (k, w) => k + " " + w + (k === 1 ? "" : "s");
  return h("ul", { class: "clean hint", id: "coverage" }, parts.map(c => h("li", {},
    `Part ${c.part} of ${c.parts}: ${n(c.action_items, "action")}, ${n(c.decisions, "decision")}, ${n(c.open_questions, "open question")}`)));
}

function participants(list) {
  const useTime = list.some(p => p.talk_seconds != null);
  const value = p => useTime ? (p.talk_seconds || 0) : p.words;
  const max = Math.max(1, ...list.map(value));
  const total = list.reduce((n, p) => n + value(p), 0) || 1;
  return h("section", { class: "card", "aria-labelledby": "h-people" },
    h("h2", { id: "h-people" }, `Participants (${list.length})`),
    h("p", { class: "hint", style: "margin-top:-.5rem" }, useTime ? "Talk time" : "Words spoken (the transcript does not say how long each turn lasted)"),
    list.length ? h("div", { class: "talk", id: "talk-time", role: "list" }, [...list].sort((x, y) => value(y) - value(x)).flatMap(p => [
      h("div", { role: "listitem", style: "font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap" }, p.name),
      h("div", { class: "track", "aria-hidden": "true" }, h("div", { class: "fill", style: `width:${(value(p) / max) * 100}%` })),
      h("div", { class: "num muted", "aria-label": `${p.name}: ${useTime ? fmt.duration(value(p)) : value(p) + " words"}` },
        useTime ? fmt.clock(value(p)) : Math.round((value(p) / total) * 100) + "%")]))
      : h("p", { class: "muted" }, "No speakers recorded."));
}

function transcript(t) {
  const segs = t.segments || [];
  const timed = segs.some(s => s.start_seconds != null);
  return h("div", { class: "card" },
    h("p", { class: "hint", style: "margin-top:0" }, `${segs.length} segments · ${t.format}`),
    (t.warnings || []).length ? h("div", { class: "alert info" }, t.warnings.join("; ")) : null,
    h("div", { class: "transcript" + (timed ? "" : " untimed"), id: "transcript", tabindex: 0 }, segs.map((s, i) => h("div", { class: "utt", id: "seg-" + i },
      timed ? h("span", { class: "t" }, s.start_seconds == null ? "" : fmt.clock(s.start_seconds)) : null,
      h("span", { class: "s", title: s.speaker || "" }, s.speaker || "—"),
      h("span", {}, s.text)))));
}

function attempts(list) {
  return h("div", { class: "card table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "Started"),
    h("th", {}, "Took"), h("th", {}, "Result"))),
    h("tbody", {}, list.map(x => h("tr", {}, h("td", {}, x.number), h("td", {}, x.started_at ? new Date(x.started_at).toLocaleString() : "—"),
      h("td", {}, x.started_at && x.finished_at ? fmt.duration((Date.parse(x.finished_at) - Date.parse(x.started_at)) / 1000) : "—"),
      h("td", {}, x.error ? h("details", { class: "err" }, h("summary", {}, "Failed"), h("pre", {}, x.error)) : x.finished_at ? "OK" : "running"))))));
}

/** Tabs with the ARIA tab pattern: arrow keys move between them. */
function tabbed(tabs) {
  const list = h("div", { class: "tabs", role: "tablist", "aria-label": "Meeting views" });
  const panels = h("div");
  const buttons = tabs.map(([name, panel], i) => {
    const id = "tab-" + name.toLowerCase().replace(/\W+/g, "-");
    panel.id ||= "";
    const wrap = h("div", { role: "tabpanel", id: id + "-panel", "aria-labelledby": id, hidden: i !== 0 }, panel);
    panels.append(wrap);
    return h("button", { type: "button", role: "tab", id, "aria-controls": id + "-panel", "aria-selected": i === 0 ? "true" : "false",
      tabindex: i === 0 ? 0 : -1, onclick: () => select(i) }, name);
  });
  function select(i) {
    buttons.forEach((b, j) => {
      b.setAttribute("aria-selected", i === j ? "true" : "false");
      b.tabIndex = i === j ? 0 : -1;
      panels.children[j].hidden = i !== j;
    });
    buttons[i].focus();
  }
  list.addEventListener("keydown", e => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === "ArrowRight") select((i + 1) % buttons.length);
    if (e.key === "ArrowLeft") select((i - 1 + buttons.length) % buttons.length);
  });
  list.append(...buttons);
  return h("div", {}, list, panels);
}

window.addEventListener("hashchange", route);
route();
