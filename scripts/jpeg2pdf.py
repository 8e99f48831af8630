"""Wraps JPEG pages into an image-only PDF, as a scanner does: `jpeg2pdf.py OUT.pdf PAGE.jpg...`.

Used to make the scanned-report fixture; standard library only.
"""
import struct
import sys


def jpeg_size(data):
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    raise ValueError("no SOF marker")


def main(out, pages):
    objects = []  # bodies, numbered from 3
    kids = []
    for path in pages:
        data = open(path, "rb").read()
        w, h = jpeg_size(data)
        image = len(objects) + 3
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB"
            b" /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, len(data))
            + data
            + b"\nendstream"
        )
        draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        page = len(objects) + 3
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /XObject << /Im0 %d 0 R >> >> >>" % (image + 1, image)
        )
        kids.append(page)
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    tree = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
        len(kids),
        b" ".join(b"%d 0 R" % k for k in kids),
    )
    body = [catalog, tree] + objects
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(body, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    for off in offsets:
        pdf += b"%010d 00000 n \n" % off
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, xref)
    open(out, "wb").write(pdf)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
