// Pushes made while the customer is away are shown exactly once: on the first view (the outbox is
// flushed to the new socket and the history restored, both carrying them), after a reload, and after
// the connection drops and comes back with another push made meanwhile. Five independent trials, as
// the bug report saw the duplicate in 4 of 5. Driven by tests/web/test_exactly_once.py, whose helper
// (PUSH_HELPER_URL) makes the signed notify pushes and reads the outbox and the tracker.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { SITE, launch, openChat, signIn, withPage } from './browser.mjs'

const HELPER = process.env.PUSH_HELPER_URL
const CUSTOMER = process.env.CUSTOMER_NAME
const TRIALS = Number(process.env.TRIALS || 5)
// Intents with a plain text answer; each trial takes the next three, so its pushes differ from the
// last trial's (and a repeated text must then be shown as often as the conversation has it).
const INTENTS = ['greet', 'ask_capabilities', 'bot_challenge', 'thank', 'out_of_scope', 'goodbye']
const SETTLE_MS = 700 // after the counts are reached and the outbox is empty: time for a late duplicate to land

async function helper(path, body) {
  const response = await fetch(HELPER + path, body ? { method: 'POST', body: JSON.stringify(body) } : {})
  assert.ok(response.ok, `helper ${path}: ${response.status}`)
  return response.json()
}

async function until(check, what, timeout = 20000) {
  const deadline = Date.now() + timeout
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A signed notify push while no tab of the customer holds a connection: it waits in the outbox. */
async function pushWhileAway(intent) {
  const pushed = await helper('/push', { intent })
  assert.equal(pushed.status, 202, `notify ${intent}: ${pushed.error}`)
  assert.equal(pushed.delivered, 'on next visit', `notify ${intent}: the customer has no connection`)
  assert.ok(pushed.texts.length >= 1 && pushed.texts.every(Boolean), `notify ${intent} answered with text: ${JSON.stringify(pushed.texts)}`)
  return pushed.texts
}

/** Runs in every document before the site's scripts: keeps the page's WebSockets (so the test can
 * drop the connection as a network would) and reads the text of each assistant bubble. */
function instrument() {
  const Native = window.WebSocket
  const sockets = []
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args)
      sockets.push(this)
    }
  }
  window.e2e = {
    drop: () => sockets.filter((s) => s.readyState === Native.OPEN).map((s) => s.close()).length,
    bubbles: () => [...document.querySelectorAll('[data-testid="bot-message"]')]
      .map((li) => (li.querySelector('p')?.textContent || '').replace(/^Assistant: /, '')),
  }
}

const shownCounts = (page, texts) => page.evaluate((texts) => {
  const shown = window.e2e.bubbles()
  return texts.map((t) => shown.filter((s) => s === t).length)
}, texts)

/** Every pushed text is shown as many times as the conversation holds it (once per push), and
 * stays so once the outbox is empty and a moment has passed; no message is shown twice. */
async function checkExactlyOnce(page, texts, label) {
  const conversation = (await helper('/bot-texts')).texts
  const want = texts.map((t) => conversation.filter((s) => s === t).length)
  await page.waitForFunction(([texts, want]) => {
    const shown = window.e2e.bubbles()
    return texts.every((t, i) => shown.filter((s) => s === t).length >= want[i])
  }, [texts, want], { timeout: 20000 }).catch(async (error) => {
    throw new Error(`${label}: the pushes did not all show: want ${JSON.stringify(want)}, shown ${JSON.stringify(await shownCounts(page, texts))} (${error.message})`)
  })
  await until(async () => (await helper('/pending')).pending === 0, `${label}: the outbox is empty (every push acknowledged)`)
  await page.waitForTimeout(SETTLE_MS)
  const shown = await shownCounts(page, texts)
  assert.deepEqual(shown, want, `${label}: each push shown once (${JSON.stringify(texts.map((t) => t.slice(0, 30)))})`)
  assert.equal(await page.getByTestId('bot-message').count(), conversation.length, `${label}: one bubble per message of the conversation`)
  const ids = await page.evaluate(() => window.travelAssistant.store.getState().chat.messages.map((m) => m.id))
  assert.equal(new Set(ids).size, ids.length, `${label}: no id twice in the store`)
}

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

const pushedTexts = new Set() // every text pushed so far in this conversation

for (let trial = 1; trial <= TRIALS; trial += 1) {
  const [first, second, whileDropped] = [0, 1, 2].map((k) => INTENTS[(3 * (trial - 1) + k) % INTENTS.length])

  test(`trial ${trial}: ${first} and ${second} pushed while away, ${whileDropped} while the connection is down: each shown once`, async () => {
    const started = Date.now()
    const lap = {}
    const mark = (name) => { lap[name] = Date.now() - started }
    assert.equal((await helper('/pending')).pending, 0, 'nothing left in the outbox before the trial')

    // 1. The customer has no page open; two pushes wait in the outbox.
    for (const intent of [first, second]) (await pushWhileAway(intent)).forEach((t) => pushedTexts.add(t))
    assert.ok((await helper('/pending')).pending >= 2, 'the pushes wait in the outbox')
    mark('pushed')

    await withPage(browser, `exactly-once-${trial}`, {}, async (page) => {
      await page.addInitScript(instrument)
      // 2. The customer opens the site and signs in (the page reloads, the widget connects as them).
      await page.goto(SITE)
      await signIn(page, `^${CUSTOMER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`)
      await openChat(page)
      await checkExactlyOnce(page, [...pushedTexts], `trial ${trial}, first view`)
      mark('first view')

      // 3. A reload: history only (the outbox is empty), still once each.
      await page.reload()
      await openChat(page)
      await checkExactlyOnce(page, [...pushedTexts], `trial ${trial}, after a reload`)
      mark('reload')

      // 4. The connection drops, a push is made meanwhile, and the widget reconnects: outbox flush
      // and history again, merged into what is shown. Chromium's offline emulation blocks new
      // connections and fires the page's `offline` event, on which socket.io-client closes its
      // socket; it leaves an open WebSocket itself alone, so one still open is closed by hand.
      await page.context().setOffline(true)
      const closedByHand = await page.evaluate(() => window.e2e.drop())
      await page.waitForFunction(() => window.travelAssistant.store.getState().chat.connection === 'reconnecting')
      lap.closedByHand = closedByHand
      ;(await pushWhileAway(whileDropped)).forEach((t) => pushedTexts.add(t))
      await page.context().setOffline(false)
      await page.getByTestId('connection-status').filter({ hasText: 'Online' }).waitFor({ timeout: 20000 })
      await checkExactlyOnce(page, [...pushedTexts], `trial ${trial}, after a reconnect`)
      mark('reconnect')
    })
    console.log(`trial ${trial}: ${JSON.stringify(lap)} ms`)
  })
}
