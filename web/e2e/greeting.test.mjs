// The greeting on opening the chat, in real headless Chromium against the running stack: a
// signed-in customer is greeted by name with quick replies without typing, once per session (a
// reload finds the greeting, not a second one); an anonymous visitor gets a short welcome.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { SITE, launch, openChat, say, shot, withPage } from './browser.mjs'

const WELCOME = "Hi! I'm the travel assistant. I can find flights and answer your travel questions. How can I help?"
// Customers other tests talk as: their conversations are not fresh.
const TAKEN = /^(Maya Chen|Daniel Okafor|Lucia Fernandez|Tom Becker) /

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

/** Signs in through the demo sign-in as a customer no other test uses; returns their first name. */
async function signInAsSomeoneNew(page) {
  await page.getByRole('button', { name: 'Sign in' }).click()
  const options = page.getByTestId('customer-option')
  await options.first().waitFor()
  const names = await options.allTextContents()
  const index = names.findIndex((name) => !TAKEN.test(name))
  assert.ok(index >= 0, `a customer no other test uses, among ${names.length}`)
  await options.nth(index).click()
  await page.getByTestId('signed-in-as').waitFor()
  return names[index].split(' ')[0]
}

const greetings = (page, name) => page.getByTestId('bot-message').filter({ hasText: new RegExp(`Hi ${name}!`) })

test('a signed-in customer who opens the chat is greeted by name with their likely tasks, once per session', () => withPage(browser, 'greeting', {}, async (page) => {
  await page.goto(SITE)
  const name = await signInAsSomeoneNew(page)
  await openChat(page)
  await greetings(page, name).first().waitFor({ timeout: 30000 })
  const replies = await page.getByTestId('quick-reply').allTextContents()
  for (const task of ['Book a flight', 'My trips', 'My tickets']) assert.ok(replies.includes(task), `${task} among ${replies}`)
  assert.equal(await page.getByTestId('user-message').count(), 0, 'nothing typed')
  await shot(page, 'greeting')

  await page.reload()
  await openChat(page)
  await greetings(page, name).first().waitFor() // restored from history
  // Once the reply to a message is in, the opening has been handled one way or the other: it came
  // before (the greeting was there) or after (something was said): no second greeting either way.
  await say(page, 'what can you do', 'I can')
  assert.equal(await greetings(page, name).count(), 1, 'one greeting in the session')
}))

test('an anonymous visitor who opens the chat gets a short welcome', () => withPage(browser, 'welcome', {}, async (page) => {
  await page.goto(SITE)
  await openChat(page)
  const welcome = page.getByTestId('bot-message').filter({ hasText: WELCOME })
  await welcome.waitFor({ timeout: 30000 })
  assert.equal(await welcome.getByTestId('quick-reply').count(), 0)
  await shot(page, 'welcome')
}))
