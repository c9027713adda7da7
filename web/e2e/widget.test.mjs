// The widget and the site in real headless Chromium against the running stack (sandbox, action
// server, rasa with our channel, the site's server). Screenshots go to results/web/.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { SHOTS, SITE, launch, openChat, say, shot, signIn, waitForBot, withPage } from './browser.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

test('a page load gives a usable widget quickly, and it is reachable by keyboard', () => withPage(browser, 'usable', {}, async (page) => {
  const started = Date.now()
  await page.goto(SITE)
  await page.getByTestId('launcher').waitFor()
  await page.waitForFunction(() => window.travelAssistant?.store.getState().chat.connection === 'online')
  const readyMs = Date.now() - started
  writeFileSync(join(SHOTS, 'metrics.json'), JSON.stringify({ page_load_to_usable_widget_ms: readyMs }, null, 2))
  console.log(`page load to a usable widget: ${readyMs} ms`)

  await page.getByTestId('launcher').focus()
  await page.keyboard.press('Enter')
  await page.getByTestId('chat-panel').waitFor()
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Message to the travel assistant')
  await page.keyboard.press('Escape')
  await page.getByTestId('chat-panel').waitFor({ state: 'detached' })
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'launcher') // focus back on the launcher
}))

test('signed in, the customer books a flight by clicking a card and gets the reference; a reload keeps the conversation', () => withPage(browser, 'booking', {}, async (page) => {
  await page.goto(SITE)
  await signIn(page, 'Maya Chen')
  await openChat(page)
  const greeting = await say(page, 'hi', 'Maya')
  assert.match(greeting, /Hi Maya/)

  await say(page, 'I need a one-way flight to Chicago next Friday', 'Would you like to see more details')
  await page.getByTestId('quick-reply').filter({ hasText: 'Yes, show me' }).click()
  const offers = page.getByTestId('flight-offer')
  await offers.first().waitFor()
  assert.ok(await offers.count() >= 2, 'several offers are shown as cards')
  await shot(page, 'offers')

  let count = await page.getByTestId('bot-message').count()
  await offers.nth(1).getByRole('button', { name: /Select option 2/ }).click()
  await waitForBot(page, count, 'Shall I book it')
  count = await page.getByTestId('bot-message').count()
  await page.getByTestId('quick-reply').filter({ hasText: /^Yes/ }).first().click()
  await waitForBot(page, count, 'booking reference')
  const reference = (await page.getByTestId('booking-reference').last().textContent()).trim()
  assert.match(reference, /^[A-Z0-9]{6}$/)
  await shot(page, 'booked')

  await page.reload()
  await openChat(page)
  await page.getByTestId('booking-reference').filter({ hasText: reference }).waitFor()
  const restored = await page.getByTestId('message-list').textContent()
  assert.match(restored, /one-way flight to Chicago/)
  await shot(page, 'restored')
}))

test('a proactive offer arrives as a badge and a quiet note, never opening the panel or taking focus', () => withPage(browser, 'proactive', {}, async (page) => {
  await page.goto(SITE)
  await signIn(page, 'Daniel Okafor')
  await page.waitForFunction(() => window.travelAssistant.store.getState().chat.connection === 'online')
  for (const destination of ['Mordor', 'Mordor']) {
    await page.getByLabel('From').fill('London')
    await page.getByLabel('To').fill(destination)
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByText(/don't know a city or airport/).waitFor()
  }
  await page.getByLabel('To').focus()
  const note = page.getByTestId('proactive-toast')
  await note.waitFor({ timeout: 20000 })
  assert.match(await note.textContent(), /Mordor|search/i)
  // The badge counts what arrived unread: the offer, and the help article line that may follow it.
  await page.waitForFunction(() => {
    const unread = window.travelAssistant.store.getState().chat.unread
    return unread >= 1 && document.querySelector('[data-testid="unread-badge"]')?.textContent === String(unread)
  })
  assert.equal(await page.getByTestId('chat-panel').count(), 0, 'the panel stays closed')
  assert.equal(await page.evaluate(() => document.activeElement.id), await page.getByLabel('To').getAttribute('id'), 'focus stays where the customer was')
  await shot(page, 'proactive-note')

  await note.getByRole('button', { name: 'Open chat' }).click()
  await page.getByTestId('chat-panel').waitFor()
  assert.equal(await page.getByTestId('proactive-toast').count(), 0)
  assert.match(await page.getByTestId('message-list').textContent(), /Mordor|search/i)
}))

test('the customer can turn proactive offers off, and the choice is kept', () => withPage(browser, 'opt-out', {}, async (page) => {
  await page.goto(SITE)
  await openChat(page)
  const toggle = page.getByTestId('proactive-switch')
  assert.equal(await toggle.isChecked(), true)
  await toggle.uncheck()
  await page.reload()
  await openChat(page)
  assert.equal(await page.getByTestId('proactive-switch').isChecked(), false)
}))

test('at phone width the panel fills the screen and nothing scrolls sideways', () => withPage(browser, 'phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, async (page) => {
  await page.goto(SITE)
  await openChat(page)
  await say(page, 'what can you do?', '.')
  const box = await page.getByTestId('chat-panel').boundingBox()
  assert.equal(Math.round(box.width), 390)
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true)
  await shot(page, 'phone')
}))

test('the site: search, choose, a checkout error explained, then booked', () => withPage(browser, 'checkout', {}, async (page) => {
  await page.goto(SITE)
  await signIn(page, 'Tom Becker')
  await page.getByLabel('From').fill('Chicago')
  await page.getByLabel('To').fill('MIA')
  await page.getByRole('button', { name: 'Search' }).click()
  await page.getByTestId('result-count').filter({ hasText: 'flights found' }).waitFor()
  await page.getByRole('button', { name: /^Choose / }).first().click()
  await page.getByRole('heading', { name: 'Checkout' }).waitFor()
  await page.getByLabel('First name').fill('Tom')
  await page.getByRole('button', { name: /Book and pay/ }).click()
  await page.getByText('Enter the last name as on the passport').waitFor()
  await page.getByLabel('Last name').fill('Becker')
  await page.getByLabel('Date of birth').fill('1979-03-14')
  await page.getByRole('button', { name: /Book and pay/ }).click()
  assert.match(await page.getByTestId('checkout-reference').textContent(), /^[A-Z0-9]{6}$/)
}))
