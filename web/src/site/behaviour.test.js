// Rage clicks, dead clicks and quick backs: the rules on a manual clock, then the wiring to a
// real (jsdom) document.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEAD_MS, QUICK_BACK_MS, RAGE_MS, createDetector, describe as describeTarget, watchBehaviour } from './behaviour'

let clock, events, selection, detector
const tick = (ms) => { clock += ms; vi.advanceTimersByTime(ms) }
const of = (type) => events.filter((e) => e.type === type)

beforeEach(() => {
  vi.useFakeTimers()
  clock = 1_000_000
  events = []
  selection = false
  detector = createDetector((e) => events.push(e), { now: () => clock, selected: () => selection, page: () => '/' })
})
afterEach(() => vi.useRealTimers())

/** `n` clicks `gap` ms apart, each `drift` px right of the one before. */
const clicks = (n, { gap = 150, drift = 0, target = 'h1 "Find a flight"', dead = true } = {}) => {
  for (let i = 0; i < n; i += 1) {
    if (i) tick(gap)
    detector.click({ x: 100 + i * drift, y: 200, target, dead })
  }
}

describe('rage clicks', () => {
  it('three clicks within a second on one spot are one rage click, reported when the burst ends with its count', () => {
    clicks(5)
    expect(of('rage_click')).toEqual([])
    tick(RAGE_MS)
    expect(of('rage_click')).toEqual([{ type: 'rage_click', page: '/', clicks: 5, x: 100, y: 200, target: 'h1 "Find a flight"' }])
  })

  it('two clicks, or three spread over more than a second, are not rage', () => {
    clicks(2)
    tick(RAGE_MS * 2)
    clicks(3, { gap: 600 })
    tick(RAGE_MS * 2)
    expect(of('rage_click')).toEqual([])
  })

  it('clicks farther apart than about 30 px are separate', () => {
    clicks(4, { drift: 40 })
    tick(RAGE_MS)
    expect(of('rage_click')).toEqual([])
    clicks(4, { drift: 5 }) // within 30 px of the first
    tick(RAGE_MS)
    expect(of('rage_click')).toHaveLength(1)
  })

  it('a burst the page answered (a "+" pressed three times) is not rage', () => {
    detector.click({ x: 10, y: 10, target: 'button "+"' })
    tick(100)
    detector.changed()
    detector.click({ x: 10, y: 10, target: 'button "+"' })
    tick(100)
    detector.click({ x: 10, y: 10, target: 'button "+"' })
    tick(RAGE_MS)
    expect(of('rage_click')).toEqual([])
  })

  it('a triple click that selects a paragraph is not rage; four clicks are, selection or not', () => {
    selection = true
    clicks(3)
    tick(RAGE_MS)
    expect(of('rage_click')).toEqual([])
    clicks(4)
    tick(RAGE_MS)
    expect(of('rage_click')).toHaveLength(1)
  })

  it('a second burst elsewhere ends the first', () => {
    clicks(3)
    detector.click({ x: 900, y: 700, target: 'p' })
    expect(of('rage_click')).toHaveLength(1)
  })
})

describe('dead clicks', () => {
  it('a click after which nothing changes is dead, once per element however often it was clicked', () => {
    clicks(4, { gap: 100 })
    tick(DEAD_MS)
    expect(of('dead_click')).toEqual([{ type: 'dead_click', page: '/', x: 100, y: 200, target: 'h1 "Find a flight"' }])
  })

  it('a change to the page, a request or a navigation within the wait makes it alive', () => {
    detector.click({ x: 1, y: 1, target: 'button "Search"' })
    tick(DEAD_MS / 2)
    detector.changed()
    tick(DEAD_MS)
    detector.click({ x: 1, y: 1, target: 'a "My trips"' })
    detector.pageViewed('/trips')
    tick(DEAD_MS)
    expect(of('dead_click')).toEqual([])
  })

  it('the page background and clicks that select text are not dead', () => {
    detector.click({ x: 1, y: 1, target: 'body', dead: false })
    tick(DEAD_MS)
    selection = true
    detector.click({ x: 1, y: 1, target: 'p' })
    tick(DEAD_MS)
    expect(of('dead_click')).toEqual([])
  })

  it('a change after the wait comes too late', () => {
    detector.click({ x: 1, y: 1, target: 'span' })
    tick(DEAD_MS + 1)
    detector.changed()
    expect(of('dead_click')).toHaveLength(1)
  })
})

describe('quick backs', () => {
  it('back to the previous page within seconds is a quick back, naming both pages and the time', () => {
    detector.pageViewed('/help')
    tick(20000)
    detector.pageViewed('/help/articles/7')
    tick(3000)
    detector.pageViewed('/help')
    expect(of('quick_back')).toEqual([{ type: 'quick_back', page: '/help/articles/7', to: '/help', seconds: 3 }])
  })

  it('a page read for a while, a page that is not the previous one, or the same page again are not', () => {
    detector.pageViewed('/')
    detector.pageViewed('/trips')
    tick(QUICK_BACK_MS + 1)
    detector.pageViewed('/') // read for a while
    tick(1000)
    detector.pageViewed('/help') // onwards
    tick(1000)
    detector.pageViewed('/help') // the same page: no navigation
    tick(1000)
    detector.pageViewed('/checkout')
    expect(of('quick_back')).toEqual([])
  })

  it('going back twice in a row is two quick backs', () => {
    for (const page of ['/', '/help', '/help/articles/1']) { detector.pageViewed(page); tick(1000) }
    detector.pageViewed('/help')
    tick(1000)
    detector.pageViewed('/')
    expect(of('quick_back').map((e) => [e.page, e.to])).toEqual([['/help/articles/1', '/help'], ['/help', '/']])
  })
})

describe('on a real document', () => {
  let watcher
  afterEach(() => { watcher?.stop(); document.body.innerHTML = '' })

  const click = (element, x = 50, y = 60) => element.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }))

  it('describes what was clicked by tag, test id and a button or heading\'s words', () => {
    document.body.innerHTML = '<h1 data-testid="t">Find  a <b>flight</b></h1><input value="secret">'
    expect(describeTarget(document.querySelector('b'))).toBe('b "Find a flight"')
    expect(describeTarget(document.querySelector('h1'))).toBe('h1[data-testid="t"] "Find a flight"')
    expect(describeTarget(document.querySelector('input'))).toBe('input')
  })

  it('rapid clicks on a button that does nothing are a rage click and a dead click; the ripple does not count', async () => {
    document.body.innerHTML = '<main><button>Help <span class="MuiTouchRipple-root"></span></button></main>'
    watcher = watchBehaviour((e) => events.push(e))
    const button = document.querySelector('button')
    for (let i = 0; i < 4; i += 1) {
      click(button)
      document.querySelector('.MuiTouchRipple-root').appendChild(document.createElement('span'))
      await Promise.resolve() // mutation records are delivered as a microtask
      vi.advanceTimersByTime(100)
    }
    vi.advanceTimersByTime(DEAD_MS + RAGE_MS)
    expect(events.map((e) => e.type).sort()).toEqual(['dead_click', 'rage_click'])
    expect(events.find((e) => e.type === 'rage_click')).toMatchObject({ clicks: 4, x: 50, y: 60, target: 'button "Help"' })
  })

  it('clicks on text or the background are never dead; rapid ones there are still rage', () => {
    document.body.innerHTML = '<main><h1>Find a flight</h1><p>Prices include taxes.</p><span style="cursor: pointer">i</span></main>'
    watcher = watchBehaviour((e) => events.push(e))
    for (const element of [document.querySelector('p'), document.querySelector('main'), document.body]) click(element, 10, 500)
    vi.advanceTimersByTime(DEAD_MS + RAGE_MS)
    expect(events.map((e) => e.type)).toEqual(['rage_click'])
    click(document.querySelector('span'), 900, 10) // a pointer cursor says clickable
    vi.advanceTimersByTime(DEAD_MS + RAGE_MS)
    expect(events.map((e) => e.type)).toEqual(['rage_click', 'dead_click'])
  })

  it('a click the page answers is alive; clicks in fields and in the widget are not watched', async () => {
    document.body.innerHTML = '<button>Open</button><input><div class="travel-assistant-widget"><p>chat</p></div>'
    watcher = watchBehaviour((e) => events.push(e))
    document.querySelector('button').addEventListener('click', () => { document.body.append('opened') })
    click(document.querySelector('button'))
    await Promise.resolve()
    for (let i = 0; i < 3; i += 1) { click(document.querySelector('input')); click(document.querySelector('p')) }
    vi.advanceTimersByTime(DEAD_MS + RAGE_MS)
    expect(events).toEqual([])
  })

  it('reports quick backs from the page views it is told of', () => {
    watcher = watchBehaviour((e) => events.push(e))
    watcher.pageViewed('/help')
    watcher.pageViewed('/help/articles/3')
    watcher.pageViewed('/help')
    expect(events).toMatchObject([{ type: 'quick_back', page: '/help/articles/3', to: '/help' }])
  })
})
