// What the customer does with the mouse and the back button, as session-replay and analytics tools
// define it, reported as page activity for the assistant's struggle detector:
// - a rage click: 3 or more clicks within 1 s on about the same spot (within 30 px) that the page
//   did not answer (as Sentry's session replay counts them: pressing "+" three times for three
//   passengers is not rage), reported once when the burst ends, with how many clicks it had.
//   Exactly three clicks that leave text selected are a triple click selecting a paragraph
//   (copying a booking reference), not rage;
// - a dead click: a click on something that looks clickable (a link, a button, anything with a
//   pointer cursor: Sentry's session replay counts links and buttons) after which nothing changed
//   within DEAD_MS: no navigation, no change to the page, no network request, no text selected.
//   Clicks on the same element while one waits count once. Clicks on text or on the background
//   are not dead clicks (people click there to read or to leave a field);
// - a quick back: back to the previous page within QUICK_BACK_MS of arriving on a page.
// The rules (createDetector) are plain functions of clicks, changes and page views; watchBehaviour
// wires them to the document.

export const RAGE_CLICKS = 3
export const RAGE_MS = 1000
export const RAGE_PX = 30
export const DEAD_MS = 1000
export const QUICK_BACK_MS = 10000
const MAX_CLICKS = 100 // the channel's bound
const MAX_PAGES = 20

// Clicks here are not about the page: the assistant's own widget, and form fields (a click that
// only places the cursor changes nothing, rightly, and three select a field's words).
const IGNORED = '.travel-assistant-widget, input, textarea, select, option, label, [contenteditable="true"], [contenteditable=""]'
const CLICKABLE = 'a[href], button, [role="button"], [role="link"], [role="tab"], [role="menuitem"], summary, [onclick]'
// Changes every click makes by itself, not in answer to it: Material UI's ripple.
const EFFECTS = '.MuiTouchRipple-root'

const near = (a, b) => Math.hypot(a.x - b.x, a.y - b.y) <= RAGE_PX

/** The rules. `report(event)` gets each activity event; `selected()` tells whether text is selected. */
export function createDetector(report, { now = () => Date.now(), selected = () => false, page = () => '/' } = {}) {
  let current = null // the page last viewed ({path, at}); articles are pages of their own
  const visited = [] // pages viewed, oldest first, each {path, at}
  let burst = null // {first, times, peak, target, answered, timer}
  const waiting = new Map() // target → dead-click candidate {x, y, page, timer}

  const where = () => current?.path || page()

  const endBurst = () => {
    const { first, times, peak, target, answered } = burst
    burst = null
    const selecting = times.length === RAGE_CLICKS && selected()
    if (peak >= RAGE_CLICKS && !answered && !selecting) {
      report({ type: 'rage_click', page: first.page, clicks: Math.min(times.length, MAX_CLICKS), x: first.x, y: first.y, target })
    }
  }

  const answer = () => {
    if (burst) burst.answered = true
    for (const candidate of waiting.values()) clearTimeout(candidate.timer)
    waiting.clear()
  }

  return {
    /** A click at (x, y) on `target` (a short description); `dead` when it looks clickable, so
     * may be a dead click. */
    click({ x, y, target, dead = true }) {
      const at = now()
      const point = { x: Math.max(0, Math.round(x)), y: Math.max(0, Math.round(y)), page: where() }
      if (burst && (!near(burst.first, point) || at - burst.times.at(-1) > RAGE_MS)) {
        clearTimeout(burst.timer)
        endBurst()
      }
      burst = burst || { first: point, times: [], peak: 0, target, answered: false }
      burst.times.push(at)
      burst.peak = Math.max(burst.peak, burst.times.filter((t) => at - t <= RAGE_MS).length)
      clearTimeout(burst.timer)
      burst.timer = setTimeout(endBurst, RAGE_MS)

      if (dead && !waiting.has(target)) {
        const candidate = { ...point }
        candidate.timer = setTimeout(() => {
          waiting.delete(target)
          if (!selected()) report({ type: 'dead_click', page: candidate.page, x: candidate.x, y: candidate.y, target })
        }, DEAD_MS)
        waiting.set(target, candidate)
      }
    },
    /** Something happened after a click: the page changed, a request went out, a navigation. */
    changed: answer,
    /** A page (or help article) was viewed: a navigation, and maybe a quick way back. */
    pageViewed(path) {
      const at = now()
      if (current && current.path === path) return
      answer()
      const previous = visited.at(-2)
      if (current && previous && previous.path === path && at - current.at <= QUICK_BACK_MS) {
        report({ type: 'quick_back', page: current.path, to: path, seconds: Math.round((at - current.at) / 1000) })
        visited.pop()
      } else {
        visited.push({ path, at })
        if (visited.length > MAX_PAGES) visited.shift()
      }
      current = visited.at(-1)
      current.at = at
    },
    stop() {
      if (burst) clearTimeout(burst.timer)
      burst = null
      answer()
    },
  }
}

/** A short, stable description of what was clicked: its tag, test id, and a button, link or
 * heading's own words (never a field's value). */
export function describe(element) {
  const tag = element.tagName.toLowerCase()
  const testid = element.getAttribute('data-testid')
  const labelled = element.closest('a, button, [role="button"], [role="link"], h1, h2, h3, h4, h5, h6')
  const words = labelled ? (labelled.getAttribute('aria-label') || labelled.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60) : ''
  return `${tag}${testid ? `[data-testid="${testid}"]` : ''}${words ? ` "${words}"` : ''}`.slice(0, 200)
}

const effect = (node) => Boolean(node && (node.nodeType === 1 ? node : node.parentElement)?.closest(EFFECTS))

/** Watches the document's clicks, changes, requests and navigations; returns {pageViewed, stop}. */
export function watchBehaviour(report, { doc = document, win = window } = {}) {
  const detector = createDetector(report, {
    selected: () => Boolean(win.getSelection?.()?.toString()),
    page: () => win.location.pathname,
  })
  const onClick = (event) => {
    const target = event.target
    if (!(target instanceof win.Element) || target.closest(IGNORED)) return
    const dead = Boolean(target.closest(CLICKABLE)) || win.getComputedStyle(target).cursor === 'pointer'
    detector.click({ x: event.clientX, y: event.clientY, target: describe(target), dead })
  }
  const mutations = new win.MutationObserver((records) => {
    if (records.some((r) => !effect(r.target) && ![...r.addedNodes, ...r.removedNodes].some(effect))) detector.changed()
  })
  mutations.observe(doc.documentElement, { subtree: true, childList: true, attributes: true, characterData: true })
  let requests = null
  try {
    requests = new win.PerformanceObserver(() => detector.changed())
    requests.observe({ type: 'resource' })
  } catch {
    requests = null // no resource timing here: changes to the page still count
  }
  doc.addEventListener('click', onClick, true)
  win.addEventListener('popstate', detector.changed)
  return {
    pageViewed: detector.pageViewed,
    stop() {
      doc.removeEventListener('click', onClick, true)
      win.removeEventListener('popstate', detector.changed)
      mutations.disconnect()
      requests?.disconnect()
      detector.stop()
    },
  }
}
