import { describe, expect, it } from 'vitest';
import { findRef, parseRefs } from '../src/domain/snapshot.js';

const snapshot = `- generic [active] [ref=e1]:
  - link "Tea one" [ref=e3] [cursor=pointer]:
    - /url: /p/1
  - textbox "Search" [ref=e5]
  - textbox [ref=f1e6]
  - button "Go" [ref=e7]
  - button "Go" [ref=e8]
  - button "Say \\"hi\\"" [ref=e9]`;

describe('snapshot refs', () => {
  it('describe each ref by role, accessible name and position among equals', () => {
    const refs = parseRefs(snapshot);
    expect(refs.get('e3')).toEqual({ role: 'link', name: 'Tea one', nth: 0 });
    expect(refs.get('f1e6')).toEqual({ role: 'textbox', name: '', nth: 0 });
    expect(refs.get('e8')).toEqual({ role: 'button', name: 'Go', nth: 1 });
    expect(refs.get('e9')).toEqual({ role: 'button', name: 'Say "hi"', nth: 0 });
  });

  it('find the same element in another snapshot of the same page, whatever its ref there', () => {
    const elsewhere = snapshot.replaceAll('[ref=e', '[ref=f2e');
    expect(findRef(elsewhere, { role: 'button', name: 'Go', nth: 1 })).toBe('f2e8');
    expect(findRef(elsewhere, { role: 'button', name: 'Stop', nth: 0 })).toBeUndefined();
  });
});
