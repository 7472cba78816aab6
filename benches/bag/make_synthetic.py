#!/usr/bin/env python3
"""A synthetic LV BAG extract at national scale from Doesburg's real records.

    python3 benches/bag/make_synthetic.py DOESBURG_DIR OUT_DIR [PANDEN]

DOESBURG_DIR is ../shared/data/bag/doesburg-lvbag-2020. Every copy of
Doesburg's 13,098 pand voorkomens (7,797 panden, history included) gets new
ids: gemeentecode 1000 + copy number, same serial. Copies are added until
PANDEN (default 1,000,000) distinct panden are written. One unit per pand is
made from the current voorkomen of Doesburg's verblijfsobject 0221010000330999
with a new id, the pand as PandRef and a gebruiksdoel / oppervlakte cycling
through a realistic mix. Files are numbered parts of 10,000 records in
OUT_DIR/pnd and OUT_DIR/vbo, as Kadaster delivers them.
"""
import io, os, re, sys, zipfile

src, out = sys.argv[1], sys.argv[2]
target = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
PART = 10_000

def records(text):
    """(pand id, is current, record text) of every <sl:stand> in a part."""
    for m in re.finditer(r"<sl:stand>.*?</sl:stand>", text, re.S):
        rec = m.group(0)
        pid = re.search(r'NL\.IMBAG\.Pand">(\d{16})<', rec).group(1)
        yield pid, "eindGeldigheid" not in rec, rec

z = zipfile.ZipFile(os.path.join(src, "0221PND15092020.zip"))
parts = [z.read(n).decode() for n in sorted(z.namelist())]
head = parts[0][: parts[0].index("<sl:stand>")]
tail = "\n    </sl:standBestand>\n</sl-bag-extract:bagStand>\n"
recs = [r for p in parts for r in records(p)]
vhead_text = open(os.path.join(src, "small-expand/0221VBO15092020-000001.xml")).read()
vhead = vhead_text[: vhead_text.index("<sl:stand>")]
vstands = re.findall(r"<sl:stand>.*?</sl:stand>", vhead_text, re.S)
vtemplate = [s for s in vstands if "0221010000330999" in s and "eindGeldigheid" not in s][0]

MIX = [("woonfunctie",), ("woonfunctie",), ("woonfunctie",), ("woonfunctie",), ("woonfunctie",),
       ("woonfunctie",), ("winkelfunctie",), ("kantoorfunctie",), ("overige gebruiksfunctie",),
       ("woonfunctie", "winkelfunctie")]

class Parts:
    def __init__(self, folder, kind, header):
        self.folder, self.kind, self.header = folder, kind, header
        os.makedirs(folder, exist_ok=True)
        self.n, self.count, self.f = 0, 0, None
    def add(self, rec):
        if self.f is None or self.count == PART:
            self.close()
            self.n += 1
            self.f = open(os.path.join(self.folder, f"9999{self.kind}01012024-{self.n:06d}.xml"), "w")
            self.f.write(self.header)
            self.count = 0
        self.f.write("        " + rec + "\n")
        self.count += 1
    def close(self):
        if self.f:
            self.f.write(tail)
            self.f.close()
            self.f = None

pnd = Parts(os.path.join(out, "pnd"), "PND", head)
vbo = Parts(os.path.join(out, "vbo"), "VBO", vhead)
panden = 0
unit = 0
copy = 0
while panden < target:
    gem = f"{1000 + copy:04d}"
    for pid, current, rec in recs:
        new = gem + pid[4:]
        if current:
            if panden >= target:
                continue
            panden += 1
            doelen = MIX[unit % len(MIX)]
            uid = f"{gem}01{pid[6:]}"
            u = vtemplate.replace("0221010000330999", uid).replace("0221100000311191", new)
            u = re.sub(r"<Objecten:gebruiksdoel>[^<]*</Objecten:gebruiksdoel>",
                       "".join(f"<Objecten:gebruiksdoel>{d}</Objecten:gebruiksdoel>" for d in doelen), u)
            u = u.replace("<Objecten:oppervlakte>18<", f"<Objecten:oppervlakte>{30 + unit % 170}<")
            vbo.add(u)
            unit += 1
        elif panden >= target:
            continue
        pnd.add(rec.replace(pid, new).replace(f"PND_{new}", f"PND_{new}"))
    copy += 1
pnd.close()
vbo.close()
print(f"{panden} panden in {pnd.n} PND parts, {unit} units in {vbo.n} VBO parts, {copy} copies")
