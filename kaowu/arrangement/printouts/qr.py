"""QR codes for the printouts, fast enough to draw one per admission ticket as it is printed.

segno scores all eight masks and places bits one module at a time in Python (about 12 ms for a ticket's
signed token, 2 ms with a fixed mask). Here each version's layout is built once, with segno's own functions:
the function patterns with format and version information, and the module each data bit goes to. A symbol
then costs its Reed–Solomon codewords (table look-ups on Python integers) and one gather of the bits into
place, about 0.1 ms. Byte mode, error correction level M, mask pattern 0: every mask reads the same; the
penalty scoring only avoids patterns that confuse weak scanners, and mask 0 (a checkerboard) rarely makes them.
The tests compare every symbol with segno's (same version, level and mask) module for module.
"""

from __future__ import annotations

import base64
import functools
import operator
import struct
import zlib
from dataclasses import dataclass

from segno import consts, encoder

ERROR = consts.ERROR_LEVEL_M
MASK = 0
BORDER = 2  # quiet-zone modules drawn into the image; layouts leave white paper around it as well


@dataclass(frozen=True)
class _Layout:
    size: int
    data_bits: int  # modules available for data and error correction codewords
    mask: int  # mask bits of the data modules, in placement order, as one integer
    gather: operator.itemgetter  # (template + data bits) -> modules, row by row
    template: bytes  # every module, row by row; data modules hold 2 until gathered over


@functools.cache
def _layout(version: int) -> _Layout:
    size = encoder.calc_matrix_size(version)
    matrix = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(matrix, size, size)
    encoder.add_alignment_patterns(matrix, size, size)
    # The placement order of ISO/IEC 18004 7.7.3, as segno's add_codewords walks it: two-module columns from
    # the right, alternately upwards and downwards, skipping the vertical timing pattern.
    positions = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for j in (right, right - 1):
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = size - 1 - vertical if upwards else vertical
                if matrix[i][j] == 0x2:
                    positions.append(i * size + j)
    masked = encoder.get_data_mask_functions(False)[MASK]
    mask = int.from_bytes(bytes(int(bool(masked(p // size, p % size))) for p in positions), "big")
    encoder.add_format_info(matrix, version, ERROR, MASK)
    encoder.add_version_info(matrix, version)
    template = b"".join(bytes(row) for row in matrix)
    gather = list(range(size * size))
    for n, p in enumerate(positions):
        gather[p] = size * size + n
    return _Layout(size, len(positions), mask, operator.itemgetter(*gather), template)


@functools.cache
def _generator(ecc: int) -> tuple[int, ...]:
    """For each lead byte, that byte times the generator polynomial of `ecc` codewords, as one integer."""
    log, exp = consts.GALIOS_LOG, consts.GALIOS_EXP
    gen = consts.GEN_POLY[ecc]
    table = [0]
    for c in range(1, 256):
        table.append(int.from_bytes(bytes(exp[(log[c] + g) % 255] for g in gen), "big"))
    return tuple(table)


def _ecc(block: bytes, ecc: int) -> bytes:
    """Reed–Solomon error correction codewords of a block: the remainder of its division by the generator."""
    table, shift, keep = _generator(ecc), 8 * (ecc - 1), (1 << (8 * ecc)) - 1
    rest = 0
    for byte in block:
        rest = ((rest << 8) & keep) ^ table[(rest >> shift) ^ byte]
    return rest.to_bytes(ecc, "big")


def _version(n: int) -> int:
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        if 4 + count_bits + 8 * n <= consts.SYMBOL_CAPACITY[version][ERROR]:
            return version
    raise ValueError(f"too long for a QR code at level M: {n} bytes")


_BITS = tuple(bytes((b >> (7 - i)) & 1 for i in range(8)) for b in range(256))


def data_codewords(data: bytes, version: int) -> bytes:
    """The data codewords of `data` in byte mode (ISO/IEC 18004 7.4): mode indicator 0100, character count, the
    bytes, a terminator of up to four zeros, zeros to the byte, then the pad codewords EC 11 alternately."""
    capacity = consts.SYMBOL_CAPACITY[version][ERROR]
    count_bits = 8 if version < 10 else 16
    bits = 4 + count_bits + 8 * len(data)
    value = (((0b0100 << count_bits) | len(data)) << (8 * len(data))) | int.from_bytes(data, "big")
    tail = min(4, capacity - bits)
    tail += (-(bits + tail)) % 8
    value <<= tail
    bits += tail
    words = value.to_bytes(bits // 8, "big")
    return words + bytes((0xEC, 0x11) * (capacity // 8))[: capacity // 8 - len(words)]


def matrix(text: str) -> tuple[int, list[bytes]]:
    """(version, rows): the symbol of `text` (UTF-8, byte mode), one byte per module, 1 = dark."""
    data = text.encode("utf-8")
    version = _version(len(data))
    layout = _layout(version)
    words = data_codewords(data, version)
    # Split into blocks, add each block's error correction, interleave (ISO/IEC 18004 7.5, 7.6).
    blocks, checks, at = [], [], 0
    for group in consts.ECC[version][ERROR]:
        for _ in range(group.num_blocks):
            block = words[at : at + group.num_data]
            at += group.num_data
            blocks.append(block)
            checks.append(_ecc(block, group.num_total - group.num_data))
    final = bytearray()
    for part in (blocks, checks):
        for i in range(max(len(b) for b in part)):
            final.extend(b[i] for b in part if i < len(b))
    stream = b"".join(_BITS[w] for w in final)
    stream += bytes(layout.data_bits - len(stream))  # remainder bits
    masked = (int.from_bytes(stream, "big") ^ layout.mask).to_bytes(layout.data_bits, "big")
    modules = bytes(layout.gather(layout.template + masked))
    size = layout.size
    return version, [modules[r * size : (r + 1) * size] for r in range(size)]


_INVERT = bytes(255 if b == 0 else 0 for b in range(256))


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(text: str) -> bytes:
    """The symbol as a greyscale PNG, one pixel per module, with the quiet zone."""
    _, rows = matrix(text)
    size = len(rows) + 2 * BORDER
    white = b"\xff" * BORDER
    blank = b"\x00" + b"\xff" * size
    raw = blank * BORDER + b"".join(b"\x00" + white + row.translate(_INVERT) + white for row in rows) + blank * BORDER
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")


def svg(text: str) -> str:
    """The symbol as an SVG image for Typst: the PNG, drawn pixel-sharp (no smoothing between modules)."""
    data = png(text)
    size = struct.unpack(">I", data[16:20])[0]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="0 0 {size} {size}" width="{size}" height="{size}"><image width="{size}" height="{size}" '
        f'image-rendering="optimizeSpeed" xlink:href="data:image/png;base64,{base64.b64encode(data).decode()}"/>'
        "</svg>"
    )
