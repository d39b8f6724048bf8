import { createHash } from 'node:crypto';

/**
 * The pages' only stylesheet and only script, inlined so a page is one request. They are constants (no
 * per-request text), so a Content-Security-Policy can allow exactly them by hash: see CSP_HASHES. Pages use
 * no style attributes and no inline event handlers for the same reason.
 */

export const STYLESHEET = `
:root{--text:#1a1a1a;--muted:#4a4a4a;--bg:#fff;--panel:#f3f4f6;--line:#c4c8ce;--link:#0b4fa3;--focus:#0b4fa3;
--late-bg:#9b0012;--late-fg:#fff;--crit-bg:#fde8ea;--crit-fg:#8a0010;--soon-bg:#fff1cc;--soon-fg:#5c3b00;--ok-bg:#e6f4ea;--ok-fg:#1d5c2e;--error:#b00020}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--text);background:var(--bg);overflow-wrap:anywhere}
/* A cell of words lekdicht chose (a status, a phase, a band) keeps them whole: "Afgerond", not "Afgeron d". */
td.words{overflow-wrap:normal}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.wrap{max-width:72rem;margin:0 auto;padding:0 1rem}
.skip-link{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip-link:focus{left:1rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.site-header{background:#10243e;color:#fff;margin-bottom:1.5rem}
.site-header .wrap{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding-top:.75rem;padding-bottom:.75rem}
.site-header a{color:#fff}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none}
.site-header nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
.site-header nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
.account{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin-left:auto}
.account form{margin:0}
.account button{background:transparent;color:#fff;border:1px solid #fff;border-radius:4px;padding:.25rem .75rem;font:inherit;cursor:pointer}
main{padding-bottom:2rem}
main:focus{outline:none}
footer{color:var(--muted);font-size:.875rem;border-top:1px solid var(--line);padding-top:1rem;padding-bottom:2rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.35rem;margin:2rem 0 .75rem}
.lead{color:var(--muted);max-width:48rem}
table{border-collapse:collapse;width:100%;margin:0 0 1rem}
th,td{text-align:left;vertical-align:top;padding:.5rem .5rem;border-bottom:1px solid var(--line)}
th{background:var(--panel);overflow-wrap:normal;word-break:normal;hyphens:manual}
.summary-strip{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0;margin:0 0 1rem}
.summary-strip a{display:block;border:1px solid var(--line);border-radius:4px;padding:.4rem .75rem;text-decoration:none}
.summary-strip a[aria-current]{border:2px solid var(--link);background:var(--panel)}
.summary-strip strong{font-size:1.25rem;margin-right:.25rem}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:0 0 1rem}
input[type=search]{font:inherit;max-width:24rem;padding:.4rem .5rem;border:2px solid #5a5f66;border-radius:4px}
ul.plain{list-style:none;padding:0;margin:0}
ul.plain li+li{margin-top:.25rem}
nav.jump ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:0 0 1rem}
nav.jump a{display:inline-block;padding:.25rem 0}
section[aria-labelledby]>h2{scroll-margin-top:1rem}
.next-step{border-left:6px solid var(--link);background:var(--panel);padding:.75rem 1rem;margin:1rem 0}
.next-step h2{margin-top:0}
dl.facts{display:grid;grid-template-columns:minmax(10rem,18rem) 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;white-space:pre-line}
pre.letter{white-space:pre-wrap;font:inherit;background:var(--bg);border:1px solid var(--line);padding:1rem;margin:0 0 1rem}
dl.facts dl.facts{grid-template-columns:minmax(8rem,14rem) 1fr}
.badge{display:inline-block;border-radius:4px;padding:0 .4rem;font-weight:600;font-size:.875rem;border:1px solid currentColor}
.urgency-late .badge,.badge.urgency-late{background:var(--late-bg);color:var(--late-fg);border-color:var(--late-bg)}
.urgency-critical .badge{background:var(--crit-bg);color:var(--crit-fg)}
.urgency-soon .badge{background:var(--soon-bg);color:var(--soon-fg)}
.urgency-ok .badge{background:var(--ok-bg);color:var(--ok-fg)}
.urgency-none .badge{background:var(--panel);color:var(--muted)}
tr.urgency-late td:first-child{border-left:6px solid var(--late-bg)}
tr.urgency-critical td:first-child{border-left:6px solid var(--crit-fg)}
tr.urgency-soon td:first-child{border-left:6px solid #b07400}
tr.urgency-late .countdown{color:var(--crit-fg);font-weight:700}
.countdown{font-variant-numeric:tabular-nums;white-space:nowrap}
.timeline{list-style:none;padding:0;margin:0}
.timeline li{border-left:3px solid var(--line);padding:.25rem 0 .75rem 1rem}
.timeline time{display:block;color:var(--muted);font-size:.875rem}
.muted{color:var(--muted)}
.notice{background:var(--panel);border-left:6px solid var(--link);padding:.75rem 1rem;margin:1rem 0}
.practice-banner{background:#fff3c4;color:#1a1a1a;border-bottom:4px solid #b07400;font-weight:700;padding:.5rem 0}
form.task{max-width:48rem}
.field{margin:0 0 1.25rem;border:0;padding:0}
.field>label,.field>legend{display:block;font-weight:600;margin-bottom:.25rem;padding:0}
.optional{font-weight:400;color:var(--muted)}
.hint{color:var(--muted);margin:0 0 .25rem}
.error-message{color:var(--error);font-weight:600;margin:0 0 .25rem}
.field-error{border-left:4px solid var(--error);padding-left:.75rem}
input[type=text],input[type=email],input[type=number],input[type=datetime-local],input[type=date],select,textarea{
font:inherit;width:100%;max-width:36rem;padding:.4rem .5rem;border:2px solid #5a5f66;border-radius:4px;background:#fff;color:var(--text)}
input.narrow{max-width:12rem}
input[type=datetime-local],input.datetime{max-width:16rem}
textarea{min-height:5rem;resize:vertical}
[aria-invalid=true]{border-color:var(--error)}
.choices{display:flex;flex-direction:column;gap:.35rem}
.choices.inline{flex-direction:row;flex-wrap:wrap;gap:.35rem 1.5rem}
.choice{display:flex;align-items:flex-start;gap:.5rem}
.choice input{width:1.25rem;height:1.25rem;margin:.15rem 0 0;flex:none}
fieldset.group{border:1px solid var(--line);border-radius:4px;padding:.75rem 1rem 0;margin:0 0 1.25rem}
fieldset.group>legend{font-weight:700;padding:0 .25rem}
fieldset.section>legend{font-size:1.15rem}
details.group{border:1px solid var(--line);border-radius:4px;padding:.5rem 1rem;margin:0 0 1.25rem}
details.group>summary{font-weight:700;cursor:pointer;margin-bottom:.5rem}
.field>p.label{font-weight:600;margin:0 0 .25rem}
[hidden]{display:none!important}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}
button,.button{font:inherit;font-weight:600;border-radius:4px;padding:.5rem 1.25rem;cursor:pointer;border:2px solid #0b4fa3;background:#0b4fa3;color:#fff;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#0b4fa3}
.error-summary{border:4px solid var(--error);padding:1rem;margin:0 0 1.5rem}
.error-summary:focus{outline:3px solid var(--focus);outline-offset:2px}
.error-summary h2{margin-top:0;font-size:1.2rem}
.error-summary a{color:var(--error);font-weight:600}
.filters{display:flex;flex-wrap:wrap;gap:.75rem 1rem;align-items:flex-end;border:1px solid var(--line);border-radius:4px;padding:.75rem 1rem;margin:0 0 1rem}
.filters .field{margin:0}
.filters legend{font-weight:700}
/* A table of many columns no longer fits its words below ~60rem: each row becomes a card. */
@media (max-width:60rem){
table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.cards,table.cards tbody,table.cards tr,table.cards td,table.cards th{display:block;width:100%}
table.cards tr{border:1px solid var(--line);border-radius:4px;margin:0 0 .75rem;padding:.25rem .5rem}
table.cards td,table.cards th{border:0;padding:.25rem 0;background:none}
table.cards td[data-label]::before{content:attr(data-label);display:block;font-size:.8rem;font-weight:600;color:var(--muted)}
tr.urgency-late td:first-child,tr.urgency-critical td:first-child,tr.urgency-soon td:first-child{border-left:0}
table.cards tr.urgency-late{border-left:6px solid var(--late-bg)}
table.cards tr.urgency-critical{border-left:6px solid var(--crit-fg)}
table.cards tr.urgency-soon{border-left:6px solid #b07400}
}
@media (max-width:40rem){
h1{font-size:1.4rem}
.account{margin-left:0}
dl.facts,dl.facts dl.facts{grid-template-columns:1fr}
dl.facts dd{margin-bottom:.5rem}
}
pre.copy-text{white-space:pre-wrap;font:inherit;background:var(--panel);border:1px solid var(--line);padding:.5rem;margin:0 0 .5rem}
pre.copy-text.unknown{border-style:dashed;color:var(--muted)}
.draft-field{margin-bottom:1rem}
.draft-field h3{font-size:1rem;margin:.5rem 0 .25rem}
tr.row-error td{background:var(--crit-bg)}
@media print{.site-header nav,.account,.skip-link,footer,.no-print,button{display:none}pre.copy-text{border:0;background:none;padding:0}a[href^="http"]::after{content:" (" attr(href) ")"}}
`.trim();

/**
 * Progressive enhancement only: without it every page still shows the time left as of loading. It ticks the
 * `<time data-due>` countdowns each second (moving a row to its new urgency when it crosses 24 h, 12 h or the
 * deadline) and moves focus to the error summary after a failed submission, and from its links to the fields. The arithmetic is
 * client/web/time.ts formatSpan's; labels come from the page (data-countdown on body), not from here.
 */
export const SCRIPT = `
(function () {
  var summary = document.getElementById('error-summary');
  if (summary) {
    summary.focus();
    // A link in the summary moves focus to its field, not only the scroll position, and shows the field's label.
    summary.addEventListener('click', function (event) {
      var link = event.target.closest && event.target.closest('a[href^="#"]');
      var field = link && document.getElementById(link.getAttribute('href').slice(1));
      if (!field) return;
      event.preventDefault();
      var around = field.closest('fieldset, .field') || field;
      around.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }
  // The recipient upload: a chosen CSV file is read into the text field that is posted (no multipart upload).
  var files = document.querySelectorAll('input[type="file"][data-csv-target]');
  for (var f = 0; f < files.length; f++) {
    files[f].addEventListener('change', function (event) {
      var input = event.target;
      var target = document.getElementById(input.getAttribute('data-csv-target'));
      if (!target || !input.files || !input.files[0]) return;
      input.files[0].text().then(function (text) { target.value = text; });
    });
  }
  // The AP draft: each field's text to the clipboard, the button saying so.
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button[data-copy]');
    var source = button && document.getElementById(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent).then(function () {
      button.firstChild.textContent = button.getAttribute('data-copied');
    });
  });
  // The facts forms: a question that does not apply to what is chosen elsewhere on the form is hidden and not sent
  // (exfiltration once the breach type says the data has left; a count for a kind of data not ticked). A hidden
  // field that holds a value stays, so nothing entered disappears unseen. Without the script every field shows.
  var dependents = document.querySelectorAll('[data-depends-on]');
  function applyDependents() {
    for (var i = 0; i < dependents.length; i++) {
      var el = dependents[i];
      var form = el.closest('form');
      var controls = form ? form.querySelectorAll('[name="' + el.getAttribute('data-depends-on') + '"]') : [];
      if (!controls.length) continue;
      var wanted = (el.getAttribute('data-depends-values') || '').split(' ');
      var match = false;
      for (var c = 0; c < controls.length; c++) {
        var control = controls[c];
        var on = control.type === 'checkbox' || control.type === 'radio' ? control.checked : true;
        if (on && wanted.indexOf(control.value) >= 0) match = true;
      }
      var hide = el.getAttribute('data-depends-mode') === 'hide-when' ? match : !match;
      var inputs = el.querySelectorAll('input, select, textarea');
      for (var k = 0; k < inputs.length && hide; k++) {
        var input = inputs[k];
        if ((input.type === 'checkbox' || input.type === 'radio') ? input.checked && input.value !== '' : input.value !== '') hide = false;
      }
      el.hidden = hide;
      for (var n = 0; n < inputs.length; n++) inputs[n].disabled = hide;
    }
  }
  if (dependents.length) {
    applyDependents();
    document.addEventListener('change', applyDependents);
  }
  var clocks = document.querySelectorAll('time[data-due]');
  if (!clocks.length) return;
  var cfg = {};
  try { cfg = JSON.parse(document.body.getAttribute('data-countdown') || '{}'); } catch (e) { cfg = {}; }
  var u = cfg.units || { d: 'd', h: 'h', m: 'm', s: 's' };
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function level(ms) { return ms < 0 ? 'late' : ms < 43200000 ? 'critical' : ms < 86400000 ? 'soon' : 'ok'; }
  function tick() {
    var now = Date.now();
    for (var i = 0; i < clocks.length; i++) {
      var el = clocks[i];
      var ms = Date.parse(el.getAttribute('data-due')) - now;
      if (isNaN(ms)) continue;
      var t = Math.floor(Math.abs(ms) / 1000), d = Math.floor(t / 86400), h = Math.floor((t % 86400) / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
      el.textContent = (ms < 0 && cfg.late ? cfg.late + ' ' : '') + (d > 0 ? d + ' ' + u.d + ' ' : '') + pad(h) + ' ' + u.h + ' ' + pad(m) + ' ' + u.m + ' ' + pad(s) + ' ' + u.s;
      el.setAttribute('datetime', 'P' + d + 'DT' + h + 'H' + m + 'M' + s + 'S');
      var row = el.closest('[data-urgency]');
      var next = level(ms);
      if (row && row.getAttribute('data-urgency') !== next) {
        row.classList.remove('urgency-' + row.getAttribute('data-urgency'));
        row.classList.add('urgency-' + next);
        row.setAttribute('data-urgency', next);
        var badge = row.querySelector('[data-urgency-label]');
        if (badge && cfg.labels && cfg.labels[next]) badge.textContent = cfg.labels[next];
      }
    }
  }
  tick();
  setInterval(tick, 1000);
})();
`.trim();

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** For the HTTP layer's Content-Security-Policy: `style-src ${style}; script-src ${script}`. */
export const CSP_HASHES = { style: sha256(STYLESHEET), script: sha256(SCRIPT) } as const;
