import { describe, expect, it } from 'vitest';
import { XmlStreamParser, XmlSyntaxError, decodeEntities, escapeXml } from './xml-stream.ts';

const SAMPLE = `<setNumberVector device="Telescope Simulator" name="EQUATORIAL_EOD_COORD" state="Busy" timeout="60" timestamp="2026-11-29T11:04:59">
    <oneNumber name="RA">
      5.5
    </oneNumber>
    <oneNumber name="DEC">
-12.25
    </oneNumber>
</setNumberVector>
<message device="Telescope Simulator" message="[INFO] a &lt;b&gt; &amp; c &#x41;"/>
<defTextVector device='T' name="X" label="a > b"><defText name="Y"/><defText name="Z">x &amp;&#65; y</defText></defTextVector>`;

describe('streaming XML parser', () => {
  it('parses INDI elements with padded values, entities, single quotes and > inside attributes', () => {
    const els = new XmlStreamParser().push(SAMPLE);
    expect(els.map((e) => e.name)).toEqual(['setNumberVector', 'message', 'defTextVector']);
    expect(els[0].attrs.state).toBe('Busy');
    expect(els[0].children.map((c) => [c.attrs.name, Number(c.text.trim())])).toEqual([['RA', 5.5], ['DEC', -12.25]]);
    expect(els[1].attrs.message).toBe('[INFO] a <b> & c A');
    expect(els[2].attrs).toMatchObject({ device: 'T', label: 'a > b' });
    expect(els[2].children[0].name).toBe('defText');
    expect(els[2].children[1].text).toBe('x &A y');
  });

  it.each([1, 2, 3, 7, 64])('gives the same elements however the stream is chunked (chunks of %i chars)', (size) => {
    const whole = new XmlStreamParser().push(SAMPLE);
    const p = new XmlStreamParser();
    const got = [];
    for (let i = 0; i < SAMPLE.length; i += size) got.push(...p.push(SAMPLE.slice(i, i + size)));
    expect(got).toEqual(whole);
  });

  it('skips comments, processing instructions and keeps CDATA verbatim', () => {
    const els = new XmlStreamParser().push('<?xml version="1.0"?><!-- hi <x> --><a><![CDATA[<raw & stuff>]]></a>');
    expect(els).toEqual([{ name: 'a', attrs: {}, children: [], text: '<raw & stuff>' }]);
  });

  it.each([
    ['mismatched close', '<a></b>'],
    ['stray close', '</a>'],
    ['bad attribute', '<a b=c></a>'],
    ['text outside elements', 'hello <a/>'],
  ])('rejects %s', (_n, src) => {
    expect(() => new XmlStreamParser().push(src)).toThrow(XmlSyntaxError);
  });

  it('escapes and decodes symmetrically', () => {
    const s = `<"it's" & more>`;
    expect(decodeEntities(escapeXml(s))).toBe(s);
  });
});
