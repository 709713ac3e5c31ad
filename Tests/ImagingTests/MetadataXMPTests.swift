import Testing

@testable import Imaging

@Suite("Metadata reader: XMP property extraction")
struct MetadataXMPTests {
    private static let header = """
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        """
    private static let footer = "</rdf:RDF></x:xmpmeta>"

    private func properties(_ body: String) -> XMPProperties {
        XMPParser.properties(of: [Self.header + body + Self.footer])
    }

    @Test func readsAttributeForm() {
        let xmp = properties(
            """
            <rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
              xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
              tiff:Make='NIKON CORPORATION' tiff:Model="NIKON D5300"
              exif:DateTimeOriginal="2015-02-13T13:51:35" xmp:CreatorTool="Ps &amp; Lr"/>
            """)
        #expect(xmp.make == "NIKON CORPORATION")
        #expect(xmp.model == "NIKON D5300")
        #expect(xmp.dateTimeOriginal == "2015-02-13T13:51:35")
        #expect(xmp.creatorTool == "Ps & Lr")
    }

    @Test func readsElementFormWithLanguageAlternatives() {
        let xmp = properties(
            """
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <dc:description><rdf:Alt>
                <rdf:li xml:lang="de-DE">Zwei Hunde</rdf:li>
                <rdf:li xml:lang="x-default">two dogs &lt;outside&gt;</rdf:li>
              </rdf:Alt></dc:description>
            </rdf:Description>
            """)
        #expect(xmp.description == "two dogs <outside>")
    }

    @Test func readsResourceFormAndOtherPrefixes() {
        let xmp = properties(
            """
            <rdf:Description rdf:about="" xmlns:ext="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
              xmlns:t="http://ns.adobe.com/tiff/1.0/">
              <ext:DigitalSourceType
                rdf:resource="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"/>
              <t:Make>Canon</t:Make>
            </rdf:Description>
            """)
        #expect(xmp.digitalSourceTypeCode == "trainedAlgorithmicMedia")
        #expect(xmp.make == "Canon")
    }

    @Test func emptyElementsDoNotSwallowTheNextOne() {
        let xmp = properties(
            """
            <rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/">
              <dc:description /><tiff:Make>SONY</tiff:Make><dc:description>kept</dc:description>
            </rdf:Description>
            """)
        #expect(xmp.make == "SONY")
        #expect(xmp.description == "kept")
    }

    @Test func similarNamesAreNotConfused() {
        let xmp = properties(
            """
            <rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:MakerNote="x">
              <tiff:MakeAndModel>no</tiff:MakeAndModel>
            </rdf:Description>
            """)
        #expect(xmp.make == nil)
    }

    @Test func malformedXMPGivesPartialResults() {
        let truncated =
            Self.header
            + "<rdf:Description xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\" tiff:Make=\"Ricoh\">"
            + "<tiff:Model>GR III"
        let xmp = XMPParser.properties(of: [truncated, "<<<>>>\"'", ""])
        #expect(xmp.make == "Ricoh")
        #expect(xmp.model == nil)
    }
}
