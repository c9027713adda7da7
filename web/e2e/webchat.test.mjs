// The stock rasa-webchat 1.x on a plain page (tests/web/webchat/index.html), against `rasa run`
// with our channel: what a site that embeds Rasa's own widget gets. WEBCHAT_URL is the page with
// ?socket= pointing at Rasa. Steps run in order; after a failed one the rest are skipped.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { launch, shot } from './browser.mjs'

const PAGE = process.env.WEBCHAT_URL
let browser, context, page
const errors = []

before(async () => {
  browser = await launch()
  context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  // The bundle asks for web fonts; nothing but this machine is reached.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort())
  page = await context.newPage()
  page.on('pageerror', (error) => errors.push(String(error)))
})
after(async () => { await browser?.close() })

const responses = () => page.locator('.rw-response')

/** Waits for a new message from the assistant (after `before` of them) that matches `pattern`. */
async function waitForBot(before, pattern, timeout = 30000) {
  await page.waitForFunction(([n, source]) => {
    const bots = [...document.querySelectorAll('.rw-response')].slice(n)
    return bots.some((b) => new RegExp(source, 'i').test(b.textContent))
  }, [before, pattern.source], { timeout })
}

let failed = false
const step = (name, body) => test(name, async (t) => {
  if (failed) return t.skip('an earlier step failed')
  try {
    await body()
  } catch (error) {
    failed = true
    await shot(page, `failed-webchat-${name.replace(/\W+/g, '-')}`).catch(() => {})
    throw error
  }
})

step('the stock widget loads and connects', async () => {
  assert.ok(PAGE, 'WEBCHAT_URL is set')
  await page.goto(PAGE)
  await page.locator('.rw-launcher').click({ timeout: 20000 }) // hidden until the socket is connected
  await page.locator('.rw-conversation-container').waitFor()
})

step("shows the assistant's messages", async () => {
  await waitForBot(0, /I'm the travel assistant/, 30000).catch(async (error) => {
    const shown = await page.locator('.rw-messages-container').textContent().catch(() => '')
    throw new Error(`the greeting (initPayload /greet) never showed in the stock widget; it shows: ${JSON.stringify(shown)}\n${error.message}`)
  })
  assert.equal(await responses().filter({ hasText: "I'm the travel assistant" }).count(), 1, 'the greeting is shown once')
})

step("shows a reply's text and its buttons", async () => {
  const before = await responses().count()
  await page.locator('.rw-new-message').fill('what can you do?')
  await page.locator('.rw-new-message').press('Enter')
  await page.locator('.rw-client').filter({ hasText: 'what can you do?' }).waitFor()
  await waitForBot(before, /search and book flights/)
  const buttons = page.locator('.rw-replies .rw-reply')
  await buttons.first().waitFor()
  const titles = await buttons.allTextContents()
  for (const title of ['Book a flight', 'My bookings', 'My tickets', 'Talk to an agent']) assert.ok(titles.includes(title), `button ${title} in ${titles}`)
  await shot(page, 'webchat-buttons')
})

step('clicking a button gets an answer', async () => {
  const before = await responses().count()
  await page.locator('.rw-replies .rw-reply').filter({ hasText: 'Book a flight' }).click()
  await waitForBot(before, /where|which|fly|from/)
  await shot(page, 'webchat-answer')
})

step('no script errors on the page', async () => {
  assert.deepEqual(errors, [])
})
