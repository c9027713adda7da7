// The staff review page in real headless Chromium, over the conversations the other end-to-end
// tests had: refused without the staff login, then filters, a transcript, tags, notes, export.
import assert from 'node:assert/strict'
import { copyFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { launch, shot } from './browser.mjs'

const REVIEW = process.env.REVIEW_URL || 'http://127.0.0.1:8090'
const NAME = process.env.STAFF_NAME || 'staff'
const PASSWORD = process.env.STAFF_PASSWORD || 'staff'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function signedIn() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
  const page = await context.newPage()
  await page.goto(REVIEW)
  await page.getByLabel('Name').fill(NAME)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Conversations' }).waitFor()
  return { context, page }
}

const rows = (page) => page.getByTestId('conversation-row')

test('nobody without the staff login sees a conversation', async () => {
  const context = await browser.newContext()
  const page = await context.newPage()
  for (const path of ['/', '/conversations/anything', '/conversations/anything/story.yml']) {
    const response = await page.goto(REVIEW + path)
    assert.equal(response.status(), 200)
    assert.ok(page.url().includes('/login'), `${path} leads to the sign-in page`)
    assert.equal(await rows(page).count(), 0)
  }
  const refused = await page.request.post(`${REVIEW}/conversations/anything/notes`, { form: { text: 'sneaky' }, maxRedirects: 0 })
  assert.equal(refused.status(), 401)
  await page.getByLabel('Name').fill(NAME)
  await page.getByLabel('Password').fill('wrong password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('alert').filter({ hasText: 'Wrong name or password' }).waitFor()
  await context.close()
})

test('staff filter the real conversations', async () => {
  const { context, page } = await signedIn()
  const all = await rows(page).count()
  assert.ok(all >= 7, `the end-to-end tests' conversations are listed (${all})`)
  await shot(page, 'review-list')
  for (const [label, flag] of [['a fallback', 'fallback'], ['a handoff', 'handoff'], ['frustration or confusion', 'frustration'],
    ['a search but no booking', 'search, no booking']]) {
    await page.goto(REVIEW)
    await page.getByLabel(label).check()
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/\?/)
    const found = await rows(page).count()
    assert.ok(found >= 1 && found < all, `${label}: ${found} of ${all}`)
    for (const row of await rows(page).all()) assert.match(await row.textContent(), new RegExp(flag))
  }
  await page.goto(`${REVIEW}/?since=2000-01-01&until=2000-12-31`)
  assert.equal(await rows(page).count(), 0, 'a date range with nothing in it')
  await context.close()
})

test('a transcript shows how each turn was understood; tags, notes and the export as a test story', async () => {
  const { context, page } = await signedIn()
  await rows(page).filter({ hasText: /booking/ }).filter({ hasNotText: 'no booking' }).first().getByRole('link').click()
  const transcript = page.getByTestId('transcript')
  await transcript.waitFor()
  const turns = page.getByTestId('turn')
  assert.ok(await turns.count() >= 4)
  assert.match(await transcript.textContent(), /intent\s+\w+\s+\d\.\d\d/)
  assert.match(await transcript.textContent(), /booking reference/i)

  await page.getByLabel('Add a tag').fill('booked ok')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await page.getByLabel('Add a note').fill('Clicked the second card; booked without trouble.')
  await page.getByRole('button', { name: 'Save note' }).click()
  await page.getByTestId('note').filter({ hasText: 'booked without trouble' }).waitFor()
  await shot(page, 'review-transcript')
  const here = page.url()

  await page.getByLabel('Story name').fill('booking by clicking a card')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()])
  const path = await download.path()
  if (process.env.STORY_PATH) copyFileSync(path, process.env.STORY_PATH)

  await page.goto(`${REVIEW}/?tag=booked+ok`)
  assert.equal(await rows(page).count(), 1)
  await page.goto(here)
  await page.getByRole('button', { name: 'Remove tag booked ok' }).click()
  await page.goto(`${REVIEW}/?tag=booked+ok`)
  assert.equal(await rows(page).count(), 0)
  await context.close()
})
