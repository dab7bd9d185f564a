/**
 * Hostile and non-canonical paths with the rule each breaks. Refused, never normalised: a file
 * has one spelling (only Unicode NFC is applied, silently).
 */
/** [case, input, code, words the message must contain]; the domain and the tool tests both use it. */
export const HOSTILE_PATHS: Array<[string, string, string, RegExp]> = [
  ['parent segment', '../x', 'PATH_OUTSIDE_WORKSPACE', /"\.\." segment/],
  ['parent segments in the middle', 'a/../../b', 'PATH_OUTSIDE_WORKSPACE', /"\.\." segment/],
  ['a lone parent segment', '..', 'PATH_OUTSIDE_WORKSPACE', /"\.\." segment/],
  ['an absolute path', '/etc/passwd', 'PATH_ABSOLUTE', /absolute paths are not allowed.*write "etc\/passwd"/],
  ['a drive letter with a backslash', 'C:\\x', 'PATH_DRIVE_LETTER', /drive letter/],
  ['a drive letter with a slash', 'c:/x', 'PATH_DRIVE_LETTER', /drive letter/],
  ['a backslash', 'a\\b', 'PATH_BACKSLASH', /backslash is not a separator.*write "a\/b"/],
  ['an empty segment', 'a//b', 'PATH_EMPTY_SEGMENT', /empty segments.*write "a\/b"/],
  ['a trailing slash', 'a/', 'PATH_EMPTY_SEGMENT', /empty segments.*write "a"/],
  ['a dot segment', './a', 'PATH_DOT_SEGMENT', /"\." segment is not canonical.*write "a"/],
  ['a dot segment in the middle', 'a/./b', 'PATH_DOT_SEGMENT', /"\." segment/],
  ['an empty path', '', 'PATH_EMPTY', /cannot be empty/],
  ['a NUL byte', 'a\u0000b', 'PATH_CONTROL_CHARACTER', /control character U\+0000/],
  ['a newline', 'notes\n.md', 'PATH_CONTROL_CHARACTER', /control character U\+000A/],
  ['an escape character', 'a\u001b[31m', 'PATH_CONTROL_CHARACTER', /control character U\+001B/],
  ['a DEL character', 'a\u007f', 'PATH_CONTROL_CHARACTER', /control character U\+007F/],
  ['a C1 control character', 'a\u0085b', 'PATH_CONTROL_CHARACTER', /control character U\+0085/],
  ['an unpaired surrogate', 'a\ud800b', 'PATH_INVALID_UNICODE', /unpaired UTF-16 surrogate/],
  ['a 5,000-character path', `${'d/'.repeat(2_499)}ff`, 'PATH_TOO_LONG', /5000 bytes.*1024-byte limit/],
  ['a segment over the limit', `dir/${'n'.repeat(256)}.txt`, 'PATH_SEGMENT_TOO_LONG', /260 bytes.*255-byte limit/],
  ['a multi-byte segment over the limit', `${'é'.repeat(128)}`, 'PATH_SEGMENT_TOO_LONG', /256 bytes/],
];
