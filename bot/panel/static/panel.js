// The curator's panel: reads Telegram's initData (from telegram-web-app.js, or from the
// address Telegram opens when that script cannot load), asks the API with it and draws
// the dashboard. Every text comes from the server (the locale files); everything is put
// into the page as text, never as HTML.
"use strict";

(function () {
  const T = JSON.parse(document.getElementById("texts").textContent);
  const app = document.getElementById("app");
  const state = {
    initData: "",
    scope: null, // {level, id} asked for; null: the person's own scope
    data: null,
    filters: { school: "", status: "", stage: "" },
    sorts: {},
  };

  // --- small DOM helpers (text only) ---------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === "") continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function message(text, isError) {
    app.replaceChildren(el("p", { id: "status", class: isError ? "status error" : "status", role: "status", text }));
  }

  // --- Telegram: initData and theme --------------------------------------------------------
  function fromHash() {
    const hash = new URLSearchParams(window.location.hash.slice(1));
    return { initData: hash.get("tgWebAppData") || "", theme: hash.get("tgWebAppThemeParams") };
  }

  function telegramReady() {
    const wa = window.Telegram && window.Telegram.WebApp;
    if (wa) return Promise.resolve(wa);
    const script = document.getElementById("tg-script");
    return new Promise((resolve) => {
      const done = () => resolve((window.Telegram && window.Telegram.WebApp) || null);
      if (!script) return done();
      script.addEventListener("load", done, { once: true });
      script.addEventListener("error", done, { once: true });
      setTimeout(done, 3000); // an unreachable telegram.org must not hang the page
    });
  }

  function luminance(hex) {
    const m = /^#?([0-9a-f]{6})$/i.exec(hex || "");
    if (!m) return null;
    const n = parseInt(m[1], 16);
    return (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  }

  function applyTheme(params, scheme) {
    const root = document.documentElement;
    for (const [key, value] of Object.entries(params || {})) {
      if (typeof value === "string" && /^#[0-9a-f]{3,8}$/i.test(value)) {
        root.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
      }
    }
    const lum = params ? luminance(params.bg_color) : null;
    const chosen = scheme || (lum === null ? null : lum < 0.5 ? "dark" : "light");
    if (chosen) root.dataset.scheme = chosen;
  }

  async function signIn() {
    const wa = await telegramReady();
    const hash = fromHash();
    if (wa) {
      try {
        wa.ready();
        wa.expand();
        applyTheme(wa.themeParams, wa.colorScheme);
        wa.onEvent("themeChanged", () => applyTheme(wa.themeParams, wa.colorScheme));
      } catch (e) {
        /* an old client: the page still works */
      }
      if (wa.initData) return wa.initData;
    }
    if (hash.theme) {
      try {
        applyTheme(JSON.parse(hash.theme), null);
      } catch (e) {
        /* no theme: the CSS fallbacks */
      }
    }
    return hash.initData;
  }

  // --- the API --------------------------------------------------------------------------------
  async function api(method, path) {
    const query = state.scope ? "?" + state.scope.level + "=" + encodeURIComponent(state.scope.id) : "";
    let response;
    try {
      response = await fetch("api/" + path + query, {
        method,
        headers: { Authorization: "tma " + state.initData },
        cache: "no-store",
        credentials: "omit",
      });
    } catch (e) {
      return { ok: false, status: 0, body: { message: T["error.network"] } };
    }
    let body = {};
    try {
      body = await response.json();
    } catch (e) {
      body = {};
    }
    return { ok: response.ok, status: response.status, body };
  }

  async function load(scope) {
    state.scope = scope || null;
    state.filters = { school: "", status: "", stage: "" };
    message(T["page.loading"], false);
    const result = await api("GET", "dashboard");
    if (!result.ok) {
      const fallback =
        result.status === 401 ? T["error.unauthorized"] : result.status === 403 ? T["error.forbidden"] : T["error.network"];
      message(result.body.message || fallback, true);
      app.dataset.error = String(result.status);
      return;
    }
    delete app.dataset.error;
    state.data = result.body;
    draw();
  }

  // --- sortable tables --------------------------------------------------------------------------
  // columns: [{key, label, value(row) for sorting, cell(row) -> node/text, main}]
  function table(id, columns, rows, options) {
    const sort = state.sorts[id] || options.sort || null;
    const sorted = rows.slice();
    if (sort) {
      const col = columns.find((c) => c.key === sort.key);
      if (col) {
        sorted.sort((a, b) => {
          const x = col.value(a);
          const y = col.value(b);
          if (x === y) return 0;
          if (x === null || x === undefined) return 1; // empty last, both ways
          if (y === null || y === undefined) return -1;
          const cmp = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "ru");
          return sort.dir === "desc" ? -cmp : cmp;
        });
      }
    }
    const toggle = (key) => {
      const now = state.sorts[id] || options.sort || {};
      state.sorts[id] = { key, dir: now.key === key && now.dir === "asc" ? "desc" : "asc" };
      draw();
    };
    const head = el(
      "tr",
      {},
      columns.map((c) =>
        el(
          "th",
          { scope: "col", "aria-sort": sort && sort.key === c.key ? (sort.dir === "desc" ? "descending" : "ascending") : null },
          el("button", { type: "button", "data-sort": c.key, onclick: () => toggle(c.key), text: c.label })
        )
      )
    );
    const body = sorted.map((row) =>
      el(
        "tr",
        {
          class: options.onOpen ? "clickable" : null,
          "data-id": row.id,
          onclick: options.onOpen ? () => options.onOpen(row) : null,
        },
        columns.map((c) => el("td", { "data-label": c.main ? null : c.label, class: c.main ? "main" : null }, c.cell(row)))
      )
    );
    // On a phone the header is hidden: the same sorting as buttons above the cards.
    const sorter = el(
      "div",
      { class: "sorter" },
      columns.map((c) =>
        el("button", {
          type: "button",
          class: "chip",
          "aria-pressed": sort && sort.key === c.key ? "true" : "false",
          onclick: () => toggle(c.key),
          text: c.label + (sort && sort.key === c.key ? (sort.dir === "desc" ? " ↓" : " ↑") : ""),
        })
      )
    );
    return el("div", {}, sorter, el("table", { id, class: options.compact ? "cards compact" : "cards" }, el("thead", {}, head), el("tbody", {}, body)));
  }

  // --- sections -------------------------------------------------------------------------------
  function header(d) {
    const nodes = [el("h1", { text: d.scope.name }), el("p", { class: "subtitle", text: d.scope.subtitle })];
    const bar = el("div", { class: "toolbar" });
    const key = (o) => o.level + ":" + o.id;
    if (d.options.length > 1) {
      const byKey = new Map(d.options.map((o) => [key(o), o]));
      const select = el(
        "select",
        { id: "scope", "aria-label": T["scope.label"], onchange: (e) => load(byKey.get(e.target.value)) },
        d.options.map((o) => el("option", { value: key(o), selected: key(o) === key(d.scope), text: o.name }))
      );
      bar.append(select);
    }
    // One level up: a school's municipality, a municipality's region (if the person may open it).
    const up = { school: ["municipality", "scope.back"], municipality: ["region", "scope.back_region"] }[d.scope.level];
    const parent = up && d.options.find((o) => o.level === up[0]);
    if (parent) {
      bar.append(el("button", { type: "button", class: "link", id: "back", onclick: () => load(parent), text: T[up[1]] }));
    }
    const exportButton = el("button", { type: "button", class: "primary", id: "export", text: T["export.button"] });
    const note = el("p", { class: "hint", id: "export-note", role: "status" });
    exportButton.addEventListener("click", async () => {
      exportButton.disabled = true;
      const result = await api("POST", "export");
      note.textContent = result.body.message || T["export.failed"];
      setTimeout(() => (exportButton.disabled = false), 5000);
    });
    bar.append(exportButton);
    nodes.push(bar, note);
    return nodes;
  }

  function ratingText(value, n) {
    return value === null || value === undefined ? T["pairs.no_ratings"] : value.toFixed(1).replace(".", ",") + " (" + n + ")";
  }

  function pairsSection(d) {
    if (d.scope.level === "region") return null; // a municipality's page lists them
    const f = state.filters;
    const municipal = d.scope.level === "municipality";
    const rows = d.pairs.filter(
      (p) => (!f.school || String(p.school_id) === f.school) && (!f.status || p.level === f.status) && (!f.stage || p.stage === f.stage)
    );
    const set = (key) => (e) => {
      state.filters[key] = e.target.value;
      draw();
    };
    const filters = el("div", { class: "toolbar" });
    if (municipal) {
      const schools = [...new Map(d.pairs.map((p) => [p.school_id, p.school])).entries()].sort((a, b) => a[1].localeCompare(b[1], "ru"));
      filters.append(
        el(
          "label",
          { class: "filter" },
          T["filter.school"],
          el("select", { id: "filter-school", onchange: set("school") }, el("option", { value: "", text: T["filter.all"] }), schools.map(([id, name]) => el("option", { value: id, selected: String(id) === f.school, text: name })))
        )
      );
    }
    filters.append(
      el(
        "label",
        { class: "filter" },
        T["filter.status"],
        el("select", { id: "filter-status", onchange: set("status") }, el("option", { value: "", text: T["filter.all"] }), d.levels.map((l) => el("option", { value: l.code, selected: l.code === f.status, text: l.label })))
      ),
      el(
        "label",
        { class: "filter" },
        T["filter.stage"],
        el("select", { id: "filter-stage", onchange: set("stage") }, el("option", { value: "", text: T["filter.all"] }), d.stages.map((s) => el("option", { value: s.code, selected: s.code === f.stage, text: s.label })))
      )
    );
    const chips = el(
      "div",
      { class: "chips", id: "level-counts" },
      d.levels.map((l) =>
        el("button", {
          type: "button",
          class: "chip lvl-" + l.code,
          "data-level": l.code,
          "aria-pressed": f.status === l.code ? "true" : "false",
          onclick: () => {
            state.filters.status = f.status === l.code ? "" : l.code;
            draw();
          },
          text: l.label + ": " + l.count,
        })
      )
    );
    const columns = [
      {
        key: "pair",
        label: T["col.pair"],
        main: true,
        value: (p) => p.mentor.toLowerCase(),
        cell: (p) => p.mentor + " → " + p.mentees.join(", "),
      },
    ];
    if (municipal) columns.push({ key: "school", label: T["col.school"], value: (p) => p.school, cell: (p) => p.school });
    columns.push(
      {
        key: "status",
        label: T["col.status"],
        value: (p) => p.level_rank,
        cell: (p) => [el("span", { class: "lvl-" + p.level, text: p.status }), p.flags.length ? el("ul", { class: "flags" }, p.flags.map((x) => el("li", { text: x }))) : null],
      },
      { key: "stage", label: T["col.stage"], value: (p) => p.stage_rank, cell: (p) => p.stage_label },
      {
        key: "last",
        label: T["col.last"],
        value: (p) => p.last_meeting,
        cell: (p) => [p.last_meeting_label, p.next_meeting_label ? el("div", { class: "hint", text: p.next_meeting_label }) : null],
      },
      {
        key: "ratings",
        label: T["col.ratings"],
        value: (p) => (p.rating_mentees === null ? null : p.rating_mentees),
        cell: (p) => ratingText(p.rating_mentor, p.rating_mentor_n) + " / " + ratingText(p.rating_mentees, p.rating_mentees_n),
      }
    );
    const shown = T["pairs.shown"].replace("{shown}", rows.length).replace("{total}", d.pairs.length);
    return el(
      "section",
      { id: "pairs" },
      el("h2", { text: T["section.pairs"] }),
      chips,
      filters,
      el("p", { class: "hint", id: "pairs-shown", text: shown }),
      rows.length ? table("pairs-table", columns, rows, { sort: { key: "status", dir: "asc" } }) : el("p", { class: "hint", text: T["pairs.none"] })
    );
  }

  // A municipality's schools, or a region's municipalities: a line each, to open.
  function linesSection(d) {
    const region = d.scope.level === "region";
    const rows = region ? d.municipalities : d.schools;
    if (!rows.length) return null;
    const level = region ? "municipality" : "school";
    const openable = new Set(d.options.filter((o) => o.level === level).map((o) => o.id));
    const num = (key, label) => ({ key, label, value: (s) => s[key], cell: (s) => String(s[key]) });
    const columns = [
      { key: "name", label: T[region ? "col.municipality" : "col.school"], main: true, value: (s) => s.name, cell: (s) => s.name },
      num("pairs", T["col.pairs"]),
      num("on_track", T["col.on_track"]),
      num("attention", T["col.attention"]),
      num("stalled", T["col.stalled"]),
      num("unmatched", T["col.unmatched"]),
      num("held", T["col.held"]),
    ];
    // A regional coordinator watches municipalities: their schools' own pages are not theirs.
    const canOpen = rows.some((s) => openable.has(s.id));
    const id = region ? "municipalities" : "schools";
    return el(
      "section",
      { id },
      el("h2", { text: T[region ? "section.municipalities" : "section.schools"] }),
      canOpen ? el("p", { class: "hint", text: T[region ? "sort.hint_region" : "sort.hint"] }) : null,
      table(id + "-table", columns, rows, {
        onOpen: canOpen ? (s) => openable.has(s.id) && load({ level, id: s.id }) : null,
        compact: true,
      })
    );
  }

  function weeklySection(d) {
    const NS = "http://www.w3.org/2000/svg";
    const svg = (tag, attrs, text) => {
      const node = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const W = 360;
    const H = 150;
    const top = 16;
    const bottom = 22;
    const max = Math.max(1, ...d.weekly.map((w) => w.held));
    const step = W / d.weekly.length;
    const chart = svg("svg", { class: "weeks", viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": T["section.weekly"], id: "weekly-chart" });
    d.weekly.forEach((w, i) => {
      const h = ((H - top - bottom) * w.held) / max;
      const x = i * step + step * 0.15;
      const bar = svg("rect", { x, y: H - bottom - h, width: step * 0.7, height: Math.max(h, w.held ? 1 : 0), rx: 2 });
      bar.append(svg("title", {}, w.title));
      chart.append(bar);
      if (w.held) chart.append(svg("text", { x: x + step * 0.35, y: H - bottom - h - 3, "text-anchor": "middle", class: "n" }, String(w.held)));
      if (i % 2 === 0 || d.weekly.length <= 6) chart.append(svg("text", { x: x + step * 0.35, y: H - 6, "text-anchor": "middle" }, w.label));
    });
    return el("section", { id: "weekly" }, el("h2", { text: T["section.weekly"] }), chart, el("p", { class: "hint", text: d.weekly_total }));
  }

  function indicatorList(items) {
    return items.map((v) => {
      const bar = el("div", { class: "bar" });
      if (v.percent !== null) {
        const fill = el("div", { class: "fill" + (v.met === true ? " met" : v.met === false ? " below" : "") });
        fill.style.width = Math.min(100, v.percent) + "%";
        bar.append(fill);
      }
      if (v.target !== null) {
        const mark = el("div", { class: "target", title: v.target_text });
        mark.style.left = "calc(" + Math.min(100, v.target) + "% - 1px)";
        bar.append(mark);
      }
      return el(
        "div",
        { class: "ind", "data-code": v.code },
        el("div", { class: "name", text: v.name }),
        bar,
        el("div", { text: v.text }),
        el("div", { class: "hint", text: [v.target_text, v.met_text].filter(Boolean).join(" · ") })
      );
    });
  }

  function indicatorsSection(d) {
    return el("section", { id: "indicators" }, el("h2", { text: T["section.indicators"] }), indicatorList(d.indicators));
  }

  function healthSection(d) {
    return el("section", { id: "health" }, el("h2", { text: T["section.health"] }), indicatorList(d.health));
  }

  function surveysSection(d) {
    const rounds = d.surveys.rounds.map((r) => {
      const bar = el("div", { class: "bar" });
      if (r.percent !== null) {
        const fill = el("div", { class: "fill" });
        fill.style.width = r.percent + "%";
        bar.append(fill);
      }
      return el("div", { class: "ind", "data-kind": r.kind }, el("div", { text: r.label + (r.percent !== null ? " (" + r.percent + " %)" : "") }), bar);
    });
    return el(
      "section",
      { id: "surveys" },
      el("h2", { text: T["section.surveys"] }),
      d.surveys.now ? el("p", { class: "notice", text: d.surveys.now }) : null,
      rounds
    );
  }

  function unmatchedSection(d) {
    const u = d.unmatched;
    const columns = [
      { key: "name", label: T["col.name"], main: true, value: (w) => w.name.toLowerCase(), cell: (w) => w.name },
      { key: "school", label: T["col.school"], value: (w) => w.school, cell: (w) => w.school },
      { key: "subject", label: T["col.subject"], value: (w) => w.subject, cell: (w) => w.subject },
      { key: "since", label: T["col.since"], value: (w) => w.since, cell: (w) => w.since_label },
    ];
    if (d.scope.level !== "municipality") columns.splice(1, 1);
    const list = u.items.length
      ? table("unmatched-table", columns, u.items, { sort: { key: "since", dir: "asc" } })
      : d.scope.level === "region" // no names at this level: how many, and where to look
        ? null
        : el("p", { class: "hint", text: T["unmatched.none"] });
    return el(
      "section",
      { id: "unmatched" },
      el("h2", { text: T["section.unmatched"] + ": " + u.total }),
      list,
      u.more ? el("p", { class: "hint", text: u.more }) : null
    );
  }

  function eventsSection(d) {
    const e = d.events;
    return el(
      "section",
      { id: "events", class: e.items.length ? null : "empty" },
      el("h2", { text: T["section.events"] }),
      e.items.length
        ? el(
            "ul",
            { class: "events" },
            ...e.items.map((i) =>
              el("li", {}, el("strong", { text: i.title }), el("br"), el("span", { class: "hint", text: i.when + " · " + i.going }))
            )
          )
        : el("p", { class: "hint", text: e.message })
    );
  }

  function draw() {
    const d = state.data;
    if (!d) return;
    const y = window.scrollY;
    app.replaceChildren(
      ...header(d),
      linesSection(d) || "",
      pairsSection(d) || "",
      el("div", { class: "grid" }, weeklySection(d), surveysSection(d)),
      el("div", { class: "grid" }, indicatorsSection(d), healthSection(d)),
      unmatchedSection(d),
      eventsSection(d)
    );
    app.dataset.ready = d.scope.level + ":" + d.scope.id;
    window.scrollTo(0, y);
  }

  signIn().then((initData) => {
    state.initData = initData;
    if (!initData) {
      message(T["error.outside_telegram"], true);
      app.dataset.error = "outside";
      return;
    }
    load(null);
  });
})();
