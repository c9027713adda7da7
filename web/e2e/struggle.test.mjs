// Struggle seen in what the customer does, in real headless Chromium against the running stack:
// rapid clicks on something that does nothing (a rage click, as analytics tools define it) go to
// the channel as activity, the struggle detector sees them, and an offer of help arrives as a
// quiet note by the launcher. Also: the Help page reports articles opened and its searches.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { SITE, launch, shot, withPage } from './browser.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

test('rapid clicks on a heading that does nothing bring an offer of help', () => withPage(browser, 'rage-click', {}, async (page) => {
  await page.goto(SITE)
  await page.waitForFunction(() => window.travelAssistant?.store.getState().chat.connection === 'online')
  await page.getByRole('heading', { name: 'Find a flight' }).click({ clickCount: 5 })
  const note = page.getByTestId('proactive-toast')
  await note.waitFor({ timeout: 30000 })
  assert.match(await note.textContent(), /doesn't seem to be responding/)
  assert.equal(await page.getByTestId('chat-panel').count(), 0, 'the panel stays closed')
  await shot(page, 'rage-click-offer')

  await note.getByRole('button', { name: 'Open chat' }).click()
  await page.getByTestId('chat-panel').waitFor()
  const replies = await page.getByTestId('quick-reply').allTextContents()
  assert.ok(replies.includes('Talk to a person') && replies.includes('No thanks'), `the offer's buttons: ${replies}`)
  assert.equal(await page.getByTestId('bot-message').count(), 1, 'the offer, and no greeting after it')
}))

test('the Help page reports articles opened and searches with their result count', () => withPage(browser, 'help-activity', {}, async (page) => {
  await page.goto(`${SITE}/help`)
  await page.waitForFunction(() => window.travelAssistant?.store.getState().chat.connection === 'online')
  // What the Help page reports, as it goes to the connection.
  const answers = page.evaluate(() => new Promise((resolve) => {
    const found = []
    const { connection } = window.travelAssistant
    const send = connection.activity
    connection.activity = (event) => {
      send(event)
      if (event.type === 'help_search' || event.page?.startsWith('/help/articles/')) found.push(event)
      if (found.length === 2) resolve(found)
    }
  }))
  const first = page.getByRole('main').getByRole('listitem').getByRole('button').first()
  const title = await first.textContent()
  await first.click()
  await page.getByRole('heading', { name: title }).waitFor()
  await page.getByLabel('Search the help center').fill('zzqx unicorn saddle')
  await page.getByRole('button', { name: 'Search', exact: true }).click()
  await page.getByText(/No articles match/).waitFor()
  const [opened, searched] = await answers
  assert.match(opened.page, /^\/help\/articles\/\d+$/)
  assert.deepEqual(searched, { type: 'help_search', page: '/help', query: 'zzqx unicorn saddle', results: 0 })
}))
