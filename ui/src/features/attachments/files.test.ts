import { describe, expect, it } from 'vitest';
import type { PickedFile } from '../../lib/platform';
import { ATTACHMENT_MAX_BYTES, addFiles, fileProblem, formatSize, kindOfContentType } from './files';

function picked(path: string, size = 10, kind: PickedFile['kind'] = 'png'): PickedFile {
  return { id: `chosen:${path}`, file_name: path.split('/').pop() ?? path, size_bytes: size, kind };
}

describe('attachment files', () => {
  it('formats sizes in the locale', () => {
    expect(formatSize(512, 'en')).toBe('512 byte');
    expect(formatSize(1536, 'en')).toBe('1.5 kB');
    expect(formatSize(1536, 'it')).toBe('1,5 kB');
    expect(formatSize(10 * 1024 * 1024, 'cs')).toBe('10 MB');
  });

  it('refuses files too big or of a kind not accepted', () => {
    expect(fileProblem(picked('/a.png'))).toBeNull();
    expect(fileProblem(picked('/a.png', ATTACHMENT_MAX_BYTES))).toBeNull();
    expect(fileProblem(picked('/a.png', ATTACHMENT_MAX_BYTES + 1))).toBe('attachments.tooBig');
    expect(fileProblem(picked('/a.exe', 10, null))).toBe('attachments.notAccepted');
  });

  it('reads the kind from the content type', () => {
    expect(kindOfContentType('text/plain; charset=utf-8')).toBe('text');
    expect(kindOfContentType('image/png')).toBe('png');
    expect(kindOfContentType('application/octet-stream')).toBeNull();
  });

  it('adds a file chosen twice once', () => {
    const list = addFiles([picked('/a.png')], [picked('/a.png'), picked('/b.png'), picked('/b.png')]);
    expect(list.map((f) => f.file_name)).toEqual(['a.png', 'b.png']);
  });
});
