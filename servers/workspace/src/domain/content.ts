/**
 * File content on the way in and out: text (UTF-8) or binary (base64), hashed with SHA-256. The
 * hash is the blob's key in the store and the file's etag, so equal contents are stored once and
 * an etag names exactly one content. Size limits are checked here, before anything is stored.
 */
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { duplicatePath, fileTooLarge, invalidBase64, invalidUnicode, notText, workspaceFull } from './errors.js';
import type { FileLimits } from './limits.js';
import { normalizePath } from './paths.js';

export const ENCODINGS = ['utf8', 'base64'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** A file ready to store: canonical path, decoded bytes and their hash. */
export interface PreparedFile {
  path: string;
  bytes: Buffer;
  hash: string;
}

export interface FileInput {
  path: string;
  content: string;
  encoding: Encoding;
}

// Canonical base64 only: Node's decoder silently skips junk, which would store something else.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function isText(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/**
 * Refuses text with an unpaired surrogate rather than store it as U+FFFD: UTF-8 cannot hold one,
 * and silently changed content would have an etag the writer never saw.
 */
export function checkUnicode(text: string, field: string): string {
  const lone = /\p{Cs}/u.exec(text);
  if (lone) throw invalidUnicode(field, lone.index);
  return text;
}

export function decodeContent(content: string, encoding: Encoding, path: string): Buffer {
  if (encoding === 'utf8') return Buffer.from(checkUnicode(content, `The content for ${JSON.stringify(path)}`), 'utf8');
  if (!BASE64.test(content)) {
    throw invalidBase64(path);
  }
  return Buffer.from(content, 'base64');
}

/** Renders bytes for a reply: UTF-8 text when asked for or when they are valid UTF-8, else base64. */
export function encodeContent(bytes: Buffer, path: string, wanted?: Encoding): { content: string; encoding: Encoding } {
  const encoding = wanted ?? (isText(bytes) ? 'utf8' : 'base64');
  if (encoding === 'utf8' && !isText(bytes)) throw notText(path, 'read it with encoding "base64"');
  return { content: bytes.toString(encoding), encoding };
}

/** Validates the path, decodes the content and checks the per-file limit. */
export function prepareFile(input: FileInput, limits: FileLimits, field = 'path'): PreparedFile {
  const path = normalizePath(input.path, field);
  const bytes = decodeContent(input.content, input.encoding, path);
  if (bytes.length > limits.maxFileBytes) throw fileTooLarge(path, bytes.length, limits);
  return { path, bytes, hash: hashBytes(bytes) };
}

/** Prepares the initial files of a new workspace: every rule of a write, plus one spelling per file. */
export function prepareFiles(inputs: readonly FileInput[], limits: FileLimits): PreparedFile[] {
  const seen = new Map<string, number>();
  const files = inputs.map((input, index) => {
    const file = prepareFile(input, limits, `files[${index}].path`);
    const first = seen.get(file.path);
    if (first !== undefined) {
      throw duplicatePath(index, input.path, first, file.path);
    }
    seen.set(file.path, index);
    return file;
  });
  const total = files.reduce((sum, file) => sum + file.bytes.length, 0);
  if (total > limits.maxWorkspaceBytes || files.length > limits.maxFiles) {
    throw workspaceFull('The new workspace', files.length, total, limits);
  }
  return files;
}
