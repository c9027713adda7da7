import { cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import HelpHtml, { parseHelpHtml, safeHref } from './helpHtml'

afterEach(cleanup)

describe('parseHelpHtml', () => {
  it('keeps the tags articles use', () => {
    expect(parseHelpHtml('<p>Bags cost <strong>$35</strong>.</p>\n<ul>\n  <li>One</li>\n</ul>')).toEqual([
      { tag: 'p', children: ['Bags cost ', { tag: 'strong', children: ['$35'] }, '.'] },
      { tag: 'ul', children: [{ tag: 'li', children: ['One'] }] },
    ])
  })

  it('drops scripts and styles and unwraps other tags, keeping their text', () => {
    const html = '<p onclick="steal()">Hi <img src=x onerror=alert(1)><span style="x">there</span></p><script>alert(1)</script><style>p{}</style><iframe src="https://evil"></iframe>'
    expect(parseHelpHtml(html)).toEqual([{ tag: 'p', children: ['Hi ', 'there'] }])
  })

  it('keeps only web and mail links', () => {
    expect(parseHelpHtml('<a href="javascript:alert(1)">x</a><a href="https://example.com/a">y</a>')).toEqual([
      'x', { tag: 'a', href: 'https://example.com/a', children: ['y'] },
    ])
    expect(safeHref(' JaVaScRiPt:alert(1)')).toBeNull()
    expect(safeHref('data:text/html,<b>')).toBeNull()
    expect(safeHref('mailto:help@example.com')).toBe('mailto:help@example.com')
  })

  it('survives nothing and plain text', () => {
    expect(parseHelpHtml(null)).toEqual([])
    expect(parseHelpHtml('just <em>text</em>')).toEqual(['just ', { tag: 'em', children: ['text'] }])
  })
})

describe('HelpHtml', () => {
  it('renders the allowed elements and no attributes from the source', () => {
    const { container } = render(<HelpHtml html={'<p class="x" id="y">Fee <em>$75</em> <a href="https://example.com" onclick="x()">more</a></p><script>bad()</script>'} />)
    expect(container.innerHTML).toBe('<div><p>Fee <em>$75</em> <a href="https://example.com/" target="_blank" rel="noopener noreferrer">more</a></p></div>')
  })
})
