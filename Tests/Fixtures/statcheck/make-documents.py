"""Builds the .docx and .pdf fixtures of `check --statistics` (run from this folder):
typed-results.docx (a Word document: results split across italic runs, a tab, an entity,
deflate-compressed as Word writes it) and typed-results.pdf (one page, Helvetica, three results).
p values (R 4.2): 2*pt(-2.50, 30) = .0181, pf(9, 1, 30, lower.tail = FALSE) = .0054,
pchisq(5, 1, lower.tail = FALSE) = .0253."""
import zipfile

W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"')
def run(t, italic=False, sup=False):
    pr = ("<w:rPr>" + ("<w:i/>" if italic else "") + ('<w:vertAlign w:val="superscript"/>' if sup else "") + "</w:rPr>") if italic or sup else ""
    return f'<w:r>{pr}<w:t xml:space="preserve">{t}</w:t></w:r>'
paras = [
    [run("Typed results in a manuscript")],
    [run("The alliance predicted change, "), run("t", True), run("(30) = 2.50, "), run("p", True), run(" = .018.")],
    [run("Therapist sex mattered, "), run("F", True), run("(1, 30) = 9.00, "), run("p", True), run(" &gt; .05.")],
    [run("Dropout differed,"), "<w:r><w:tab/></w:r>", run("χ", True), run("2", sup=True), run("(1, "), run("N", True), run(" = 2,500) = 5.00, "), run("p", True), run(" = .025.")],
    ['<w:r><w:instrText xml:space="preserve"> t(30) = 2.50, p = .90 </w:instrText></w:r>'],
    # An equation (OMML) as Word's equation editor writes it: math italic letters in <m:t>.
    [run("In an equation, "), '<m:oMath><m:r><m:t>𝑟</m:t></m:r><m:r><m:t>(50) = .20, </m:t></m:r><m:r><m:t>𝑝</m:t></m:r><m:r><m:t> = .03</m:t></m:r></m:oMath>', run(".")],
]
doc = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>' + "".join(
    "<w:p>" + "".join(p) + "</w:p>" for p in paras) + "<w:sectPr/></w:body></w:document>"
ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
with zipfile.ZipFile("typed-results.docx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in [("[Content_Types].xml", ct), ("word/document.xml", doc)]:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)

lines = ["Typed results in a paper", "The alliance predicted change, t(30) = 2.50, p = .018.",
         "Therapist sex mattered, F(1, 30) = 9.00, p > .05.", "Dropout differed, chi2(1, N = 2,500) = 5.00, p = .025."]
text = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join("(" + l.replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for l in lines) + " ET"
objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
out = b"%PDF-1.4\n"
offsets = []
for i, o in enumerate(objs, 1):
    offsets.append(len(out))
    out += f"{i} 0 obj\n{o}\nendobj\n".encode()
xref = len(out)
out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode() + "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
open("typed-results.pdf", "wb").write(out)

# Raw DEFLATE streams of typed-results.md for the Inflate tests: dynamic Huffman (level 9), fixed
# Huffman (Z_FIXED) and stored blocks (level 0).
import zlib
src = open("typed-results.md", "rb").read() * 8
for name, level, strategy in [("dynamic", 9, zlib.Z_DEFAULT_STRATEGY), ("fixed", 6, zlib.Z_FIXED), ("stored", 0, zlib.Z_DEFAULT_STRATEGY)]:
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    open(f"typed-results.md.{name}.deflate", "wb").write(c.compress(src) + c.flush())
