// Debian's Chromium driven by playwright-core (no browser downloads), and helpers for the tests.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

export const SITE = process.env.SITE_URL || 'http://127.0.0.1:8080'
export const SHOTS = process.env.SCREENSHOT_DIR || join(process.cwd(), '..', 'results', 'web')
mkdirSync(SHOTS, { recursive: true })

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  })
}

export const shot = (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`) })

/** Signs in on the site as a seeded customer, through the sign-in menu. */
export async function signIn(page, name) {
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('menuitem', { name: new RegExp(name) }).click()
  await page.getByTestId('signed-in-as').waitFor()
}

export async function openChat(page) {
  await page.getByTestId('launcher').click()
  await page.getByTestId('chat-panel').waitFor()
  await page.getByTestId('connection-status').filter({ hasText: 'Online' }).waitFor()
}

/** Types a message and waits for the assistant's next message that contains `expect`. */
export async function say(page, text, expect) {
  const before = await page.getByTestId('bot-message').count()
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Enter')
  return waitForBot(page, before, expect)
}

export async function waitForBot(page, before, expect, timeout = 30000) {
  await page.waitForFunction(([n, pattern]) => {
    const bots = [...document.querySelectorAll('[data-testid="bot-message"]')].slice(n)
    return bots.some((b) => new RegExp(pattern, 'i').test(b.textContent))
  }, [before, expect], { timeout })
  return page.getByTestId('bot-message').last().textContent()
}

/** Runs a scenario in a fresh browser context; on failure keeps a screenshot of where it stood. */
export async function withPage(browser, name, options, scenario) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options })
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (error) => errors.push(error))
  try {
    await scenario(page)
    assert.deepEqual(errors.map(String), [], 'no script errors on the page')
  } catch (error) {
    await shot(page, `failed-${name}`).catch(() => {})
    throw error
  } finally {
    await context.close()
  }
}
