import { describe, expect, it } from "vitest";
import { attr, child, children, parseXmlSafely, path, pathAll, text, XmlRejectedError, type XmlRejectionCode } from "./safe-xml";

function rejection(input: string | Uint8Array, opts?: Parameters<typeof parseXmlSafely>[1]): XmlRejectedError {
  try {
    parseXmlSafely(input, opts);
  } catch (e) {
    if (e instanceof XmlRejectedError) return e;
    throw e;
  }
  throw new Error("expected the document to be rejected");
}

function expectRejected(input: string | Uint8Array, code: XmlRejectionCode, opts?: Parameters<typeof parseXmlSafely>[1]) {
  const e = rejection(input, opts);
  expect(e.code, e.message).toBe(code);
  return e;
}

const A = "urn:example:a";
const B = "urn:example:b";

describe("parseXmlSafely: values and syntax", () => {
  it("keeps every value a string: leading zeros and decimals survive", () => {
    const { root } = parseXmlSafely(`<E1KNA1M><KUNNR>0000012345</KUNNR><BETRG>1.250</BETRG><N q="007">  1500  </N></E1KNA1M>`);
    expect(text(child(root, "", "KUNNR"))).toBe("0000012345");
    expect(text(child(root, "", "BETRG"))).toBe("1.250");
    expect(text(child(root, "", "N"))).toBe("1500"); // trimmed, still a string
    expect(attr(child(root, "", "N"), "q")).toBe("007");
  });

  it("strips a UTF-8 byte-order mark from a string and from bytes", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><a>ä</a>`;
    expect(parseXmlSafely(`\ufeff${xml}`).root.text).toBe("ä");
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, "utf8")]);
    expect(parseXmlSafely(bytes).root.text).toBe("ä");
  });

  it("accepts no XML declaration, comments and CDATA; CDATA is not entity-decoded", () => {
    const { root } = parseXmlSafely(`<!-- head --><a><!-- inside --><b><![CDATA[<x> & &amp; ]]></b><c>1 &amp; 2 &lt; 3 &#228;&#xE4;</c></a><!-- tail -->`);
    expect(text(child(root, "", "b"))).toBe("<x> & &amp; ");
    expect(text(child(root, "", "c"))).toBe("1 & 2 < 3 ää");
    expect(root.children.map((c) => c.local)).toEqual(["b", "c"]);
  });

  it("joins text around a comment", () => {
    expect(parseXmlSafely(`<a>abc<!-- x -->def</a>`).root.text).toBe("abcdef");
  });

  it("decodes latin-1 bytes when the declaration says so", () => {
    const bytes = Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?><a>`), Buffer.from([0xe4]), Buffer.from("</a>")]);
    expect(parseXmlSafely(bytes).root.text).toBe("ä");
  });

  it("refuses invalid UTF-8 and unknown encodings", () => {
    expectRejected(Buffer.from([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]), "not_well_formed");
    expectRejected(Buffer.from(`<?xml version="1.0" encoding="EBCDIC-CP-US"?><a/>`), "unsupported_encoding");
  });

  it("normalises literal newlines in attribute values but keeps character references", () => {
    const { root } = parseXmlSafely(`<a v="x\ny" w="x&#10;y"/>`);
    expect(attr(root, "v")).toBe("x y");
    expect(attr(root, "w")).toBe("x\ny");
  });

  it("keeps names like toString exact", () => {
    const { root } = parseXmlSafely(`<a><toString>1</toString><hasOwnProperty>2</hasOwnProperty></a>`);
    expect(root.children.map((c) => c.local)).toEqual(["toString", "hasOwnProperty"]);
  });
});

describe("parseXmlSafely: namespaces", () => {
  it("resolves default and prefixed namespaces; callers match on URI, not prefix", () => {
    const one = parseXmlSafely(`<Invoice xmlns="${A}" xmlns:b="${B}"><b:ID>1</b:ID><ID>2</ID></Invoice>`).root;
    const two = parseXmlSafely(`<x:Invoice xmlns:x="${A}" xmlns:y="${B}"><y:ID>1</y:ID><x:ID>2</x:ID></x:Invoice>`).root;
    for (const root of [one, two]) {
      expect(root.ns).toBe(A);
      expect(root.local).toBe("Invoice");
      expect(text(child(root, B, "ID"))).toBe("1");
      expect(text(child(root, A, "ID"))).toBe("2");
      expect(child(root, "", "ID")).toBeUndefined();
    }
    expect(two.qname).toBe("x:Invoice");
  });

  it("honours scope: a redeclared default namespace applies to descendants only", () => {
    // As in the OASIS UBL example: <ClassifiedTaxCategory xmlns="...cac..."> inside an Invoice.
    const { root } = parseXmlSafely(
      `<Invoice xmlns="${A}" xmlns:b="${B}"><Item><Cat xmlns="${B}"><Scheme/></Cat><After/></Item></Invoice>`,
    );
    const item = child(root, A, "Item");
    const cat = child(item, B, "Cat");
    expect(cat).toBeDefined();
    expect(child(cat, B, "Scheme")).toBeDefined();
    expect(child(item, A, "After")).toBeDefined();
  });

  it("rebinds a prefix in an inner scope and undeclares the default namespace", () => {
    const { root } = parseXmlSafely(`<p:a xmlns:p="${A}"><p:b xmlns:p="${B}"/><p:c/><d xmlns=""/></p:a>`);
    expect(root.children.map((c) => [c.ns, c.local])).toEqual([
      [B, "b"],
      [A, "c"],
      ["", "d"],
    ]);
  });

  it("puts unprefixed attributes in no namespace and prefixed ones in theirs", () => {
    const { root } = parseXmlSafely(
      `<a xmlns="${A}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="1" xsi:type="T" xml:lang="de"/>`,
    );
    expect(attr(root, "id")).toBe("1");
    expect(attr(root, "id", A)).toBeUndefined();
    expect(attr(root, "type", "http://www.w3.org/2001/XMLSchema-instance")).toBe("T");
    expect(attr(root, "lang", "http://www.w3.org/XML/1998/namespace")).toBe("de");
    expect(root.attributes.map((a) => a.local)).toEqual(["id", "type", "lang"]); // xmlns declarations are not attributes
  });

  it("refuses an undeclared prefix and one attribute named twice through two prefixes", () => {
    expectRejected(`<p:a/>`, "not_well_formed");
    expectRejected(`<a xmlns:x="${A}"><b y:c="1"/></a>`, "not_well_formed");
    expectRejected(`<a xmlns:x="${A}" xmlns:y="${A}" x:c="1" y:c="2"/>`, "not_well_formed");
  });
});

describe("parseXmlSafely: hostile input", () => {
  it("refuses XXE before parsing", () => {
    const e = expectRejected(
      `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>`,
      "dtd_forbidden",
    );
    expect(e.message).toContain("DOCTYPE");
  });

  it("refuses billion laughs, lower-case doctypes and entity declarations on their own", () => {
    const lol =
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("") +
      `]><lolz>&lol9;</lolz>`;
    expectRejected(lol, "dtd_forbidden");
    expectRejected(`<!doctype a><a/>`, "dtd_forbidden");
    expectRejected(`<a><!ENTITY x "y"></a>`, "dtd_forbidden");
  });

  it("refuses undeclared entities instead of resolving them", () => {
    expectRejected(`<a>&nbsp;</a>`, "not_well_formed");
    expectRejected(`<a v="&xxe;"/>`, "not_well_formed");
  });

  it.each([
    [`<__proto__><polluted>1</polluted></__proto__>`],
    [`<a><constructor/></a>`],
    [`<a xmlns:x="${A}"><x:prototype/></a>`],
    [`<a __proto__="1"/>`],
    [`<a xmlns:x="${A}" x:constructor="1"/>`],
  ])("refuses forbidden names: %s", (xml) => {
    expectRejected(xml, "forbidden_name");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("accepts 64 levels of nesting and refuses 65; the limit is configurable", () => {
    const nest = (n: number) => "<a>".repeat(n) + "</a>".repeat(n);
    expect(parseXmlSafely(nest(64))).toBeDefined();
    expectRejected(nest(65), "too_deep");
    expectRejected(nest(11), "too_deep", { maxDepth: 10 });
    expect(parseXmlSafely(`<a>${"<b/>".repeat(100)}</a>`, { maxDepth: 2 }).root.children).toHaveLength(100);
  });

  it("caps the size before parsing, counting UTF-8 bytes; configurable", () => {
    expectRejected(`<a>${"x".repeat(10 * 1024 * 1024)}</a>`, "too_large");
    expectRejected(`<a>${"ä".repeat(60)}</a>`, "too_large", { maxBytes: 100 }); // 127 bytes, 67 characters
    expect(parseXmlSafely(`<a>${"x".repeat(60)}</a>`, { maxBytes: 100 }).root.text).toHaveLength(60);
    expectRejected(Buffer.alloc(101, 0x20), "too_large", { maxBytes: 100 });
  });

  it("refuses node floods, attribute floods, huge names and huge values", () => {
    expectRejected(`<r>${"<a/>".repeat(200)}</r>`, "limit_exceeded", { maxNodes: 100 });
    expectRejected(`<r ${Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(" ")}/>`, "limit_exceeded");
    expectRejected(`<${"n".repeat(300)}/>`, "limit_exceeded");
    expectRejected(`<r>${"x".repeat(2000)}</r>`, "limit_exceeded", { maxValueLength: 1000 });
    expectRejected(`<r a="${"x".repeat(2000)}"/>`, "limit_exceeded", { maxValueLength: 1000 });
  });

  it("refuses characters XML forbids", () => {
    expectRejected(`<a>\u0001</a>`, "not_well_formed");
    expectRejected(`<a>&#1;</a>`, "not_well_formed");
  });

  const MiB = 1024 * 1024;
  const fill = (head: string, unit: string, tail: string) =>
    head + unit.repeat(Math.floor((10 * MiB - 64 - head.length - tail.length) / unit.length)) + tail;
  it.each([
    ["deep nesting", () => fill("", "<a>", ""), "too_deep"],
    ["a flood of empty elements", () => fill("<r>", "<a/>", "</r>"), "limit_exceeded"],
    ["a flood of attributes", () => fill("<r>", '<a b="1" c="2"/>', "</r>"), "limit_exceeded"],
    ["a flood of entity references", () => fill("<r>", "&amp;", "</r>"), "limit_exceeded"],
    ["one huge attribute list", () => fill("<r ", 'a="" ', "/>"), "limit_exceeded"],
    ["an unclosed attribute quote", () => fill('<r a="', "x", ""), "not_well_formed"],
    ["a tag name made of '<'", () => fill("", "<", ""), "limit_exceeded"],
    ["an unclosed comment", () => fill("<r><!--", "x", ""), "not_well_formed"],
    ["a flood of processing instructions", () => fill("<r>", "<?p x?>", "</r>"), "limit_exceeded"],
    ["billion laughs padded to 10 MiB", () => fill('<!DOCTYPE l [<!ENTITY l "lol">]><l>', " ", "&l;</l>"), "dtd_forbidden"],
    ["one 4 MiB text node and many 1 MiB ones", () => `<r><a>${"x".repeat(4 * MiB - 8)}</a>${`<b>${"y".repeat(MiB)}</b>`.repeat(5)}</r>`, null],
    ["three 3 MiB attribute values", () => `<r>${`<a b="${"x".repeat(3 * MiB)}"/>`.repeat(3)}</r>`, null],
    ["a large CDATA section", () => fill("<r><![CDATA[", "x", "]]></r>"), null],
  ] as const)("refuses or parses 10 MiB of %s in well under a second", (_name, make, code) => {
    const xml = make();
    expect(xml.length).toBeGreaterThan(8 * MiB);
    const started = performance.now();
    let outcome: string = "parsed";
    try {
      parseXmlSafely(xml);
    } catch (e) {
      if (!(e instanceof XmlRejectedError)) throw e;
      outcome = e.code;
    }
    const elapsed = performance.now() - started;
    expect(outcome).toBe(code ?? "parsed");
    expect(elapsed).toBeLessThan(1000);
  });

  it("parses the largest accepted element flood (default node cap) quickly", () => {
    const xml = `<r>${'<a b="1"/>'.repeat(49_000)}</r>`; // ~98,000 nodes
    const started = performance.now();
    expect(parseXmlSafely(xml).root.children).toHaveLength(49_000);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe("parseXmlSafely: well-formedness errors carry line and column", () => {
  it("reports the validator's line and column", () => {
    const e = expectRejected(`<a>\n  <b>\n  </c>\n</a>`, "not_well_formed");
    expect(e.line).toBe(3);
    expect(e.column).toBe(3);
    expect(e.message).toMatch(/line 3, column 3/);
  });

  it("reports the original position after long values that were cut out for speed", () => {
    const long = `line one\n${"x".repeat(3000)}\nline three`;
    const xml = `<a>\n<b v="${"y".repeat(700)}">${long}</b>\n<c>  </d>\n</a>`;
    const e = expectRejected(xml, "not_well_formed");
    const lines = xml.split("\n");
    const expectedLine = lines.findIndex((l) => l.includes("</d>")) + 1;
    expect(e.line).toBe(expectedLine);
    expect(e.column).toBe(lines[expectedLine - 1]!.indexOf("</d>") + 1);
  });

  it.each([
    [`<a><b></a>`],
    [`<a>`],
    [`<a></a><b></b>`],
    [`<a>1</a>trailing`],
    [`<a b="1" b="2"/>`],
    [`<a>x & y</a>`],
    [`<a v="1 & 2"/>`],
    [``],
  ])("refuses %j", (xml) => {
    expectRejected(xml, "not_well_formed");
  });

  it("puts long values back verbatim, decoded and trimmed at the ends only", () => {
    const body = `  first line &amp; more\n${"z".repeat(2000)}\n  last  `;
    const value = `${"v".repeat(600)} &lt;ok&gt;`;
    const { root } = parseXmlSafely(`<a><b w="${value}">${body}</b><c>abc${"d".repeat(40)}<!-- c -->${"e".repeat(40)}</c></a>`);
    expect(text(child(root, "", "b"))).toBe(`first line & more\n${"z".repeat(2000)}\n  last`);
    expect(attr(child(root, "", "b"), "w")).toBe(`${"v".repeat(600)} <ok>`);
    expect(text(child(root, "", "c"))).toBe(`abc${"d".repeat(40)}${"e".repeat(40)}`);
  });

  it("refuses a bare ampersand inside a long value too", () => {
    expectRejected(`<a>${"x".repeat(100)} & ${"y".repeat(100)}</a>`, "not_well_formed");
  });
});

describe("helpers", () => {
  const { root } = parseXmlSafely(
    `<Document xmlns="${A}" xmlns:o="${B}"><Stmt><Id>S1</Id><Ntry><Amt Ccy="CHF">1.00</Amt></Ntry><Ntry><Amt Ccy="EUR">2.00</Amt><o:Ext>e</o:Ext></Ntry></Stmt></Document>`,
  );

  it("child, children, text and attr", () => {
    const stmt = child(root, A, "Stmt");
    expect(text(child(stmt, A, "Id"))).toBe("S1");
    expect(children(stmt, A, "Ntry")).toHaveLength(2);
    expect(children(stmt, B, "Ntry")).toHaveLength(0);
    expect(attr(path(stmt, ["Ntry", "Amt"]), "Ccy")).toBe("CHF");
    expect(text(undefined)).toBeUndefined();
    expect(attr(undefined, "x")).toBeUndefined();
  });

  it("path follows first matches in the current namespace or an explicit one", () => {
    expect(text(path(root, ["Stmt", "Id"]))).toBe("S1");
    expect(path(root, ["Stmt", "Missing", "Id"])).toBeUndefined();
    const second = children(child(root, A, "Stmt"), A, "Ntry")[1];
    expect(text(path(second, [[B, "Ext"]]))).toBe("e");
    expect(path(second, ["Ext"])).toBeUndefined(); // same local name, other namespace
  });

  it("pathAll fans out", () => {
    expect(pathAll(root, ["Stmt", "Ntry", "Amt"]).map((a) => attr(a, "Ccy"))).toEqual(["CHF", "EUR"]);
  });
});
