#!/usr/bin/env python3
"""Writes four .pth deflate bombs (611 KB each, 600 MB inflated) into the folder given, for docs/reliability.md."""
import struct, sys, zipfile
from pathlib import Path

MB = 1 << 20


def pickle(numel):
    """{'w': _rebuild_tensor_v2(FloatStorage '0' of numel, 0, (numel,), (1,))}, pickle protocol 2."""
    def s(x):
        b = x.encode()
        return b'X' + struct.pack('<I', len(b)) + b

    def i(x):
        return b'\x8a\x08' + struct.pack('<q', x)
    return (b'\x80\x02}(' + s('w') + b'ctorch._utils\n_rebuild_tensor_v2\n((' + s('storage') + b'ctorch\nFloatStorage\n'
            + s('0') + s('cpu') + i(numel) + b'tQ' + i(0) + b'(' + i(numel) + b't(' + i(1) + b'ttRu.')


def bomb(path, numel, target):
    info = zipfile.ZipInfo(target)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, 'w') as z:
        if target != 'a/data.pkl':
            z.writestr(zipfile.ZipInfo('a/data.pkl'), pickle(numel))
        with z.open(info, 'w', force_zip64=True) as f:
            for _ in range(600):
                f.write(bytes(MB))


def lie_about_size(src, dst, size):
    """The same archive with a/data/0's declared size lowered: the stream inflates far beyond it."""
    b = bytearray(Path(src).read_bytes())
    local = zipfile.ZipFile(src).getinfo('a/data/0').header_offset
    name_len = struct.unpack_from('<H', b, local + 26)[0]
    struct.pack_into('<Q', b, local + 30 + name_len + 4, size)  # zip64 extra: uncompressed size
    at = b.find(b'PK\x01\x02')
    while at >= 0:
        n = struct.unpack_from('<H', b, at + 28)[0]
        if bytes(b[at + 46:at + 46 + n]) == b'a/data/0':
            struct.pack_into('<I', b, at + 24, size)
        at = b.find(b'PK\x01\x02', at + 4)
    Path(dst).write_bytes(b)


out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
bomb(out / 'storage-small-pickle.pth', 6, 'a/data/0')           # the pickle needs 24 bytes, the entry claims 600 MB
bomb(out / 'storage-consistent.pth', 600 * MB // 4, 'a/data/0')  # pickle and entry agree on 600 MB
bomb(out / 'pickle.pth', 0, 'a/data.pkl')                       # data.pkl itself inflates to 600 MB
lie_about_size(out / 'storage-small-pickle.pth', out / 'lying-size.pth', 24)
