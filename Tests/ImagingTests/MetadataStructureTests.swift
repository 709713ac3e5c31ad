import Testing

@testable import Imaging

@Suite("Metadata reader: structures built byte by byte")
struct MetadataStructureTests {
    typealias Support = MetadataTestSupport

    @Test(arguments: [true, false])
    func readsIFD0AndExifSubIFDInBothByteOrders(bigEndian: Bool) throws {
        let rational = Support.u32(1, bigEndian: bigEndian) + Support.u32(250, bigEndian: bigEndian)
        let tiff = Support.tiff(
            bigEndian: bigEndian,
            ifd0: [
                .ascii(0x010F, "Canon"), .ascii(0x0110, "Canon EOS 6D"), .ascii(0x0131, "GIMP 2.10"),
                .ascii(0x010E, "a lighthouse at dusk"),
                .init(tag: 0x0112, type: 3, count: 1, value: Support.u16(6, bigEndian: bigEndian)),
            ],
            exif: [
                .ascii(0x9003, "2020:01:02 03:04:05"),
                .init(tag: 0x829A, type: 5, count: 1, value: rational),
                .init(tag: 0x8827, type: 3, count: 1, value: Support.u16(400, bigEndian: bigEndian)),
            ])
        let metadata = try MetadataReader.read(Support.jpeg([(0xE1, Array("Exif\0\0".utf8) + tiff)]))
        #expect(metadata.exif.make == "Canon")
        #expect(metadata.exif.model == "Canon EOS 6D")
        #expect(metadata.exif.software == "GIMP 2.10")
        #expect(metadata.exif.dateTimeOriginal == "2020:01:02 03:04:05")
        #expect(metadata.exif.exposureTime == 0.004)
        #expect(metadata.exif.iso == 400)
        #expect(metadata.orientation == 6)
        #expect(MetadataReader.orientation(of: Support.jpeg([(0xE1, Array("Exif\0\0".utf8) + tiff)])) == 6)
        #expect(metadata.descriptionCandidates.first?.text == "a lighthouse at dusk")
        #expect(metadata.warnings.isEmpty)
    }

    @Test(
        arguments: [
            // (TIFF big-endian, comment bytes after the prefix, expected text)
            (false, [0x68, 0x00, 0x69, 0x00, 0xE9, 0x00], "hié"),  // UTF-16LE in an II file
            (true, [0x00, 0x68, 0x00, 0x69, 0x00, 0xE9], "hié"),  // UTF-16BE in an MM file
            (false, [0x00, 0x68, 0x00, 0x69, 0x00, 0x21], "hi!"),  // big-endian text in an II file
            (true, [0xFF, 0xFE, 0x68, 0x00, 0x69, 0x00], "hi"),  // BOM overrides the TIFF order
            (false, [0xFE, 0xFF, 0x00, 0x68, 0x00, 0x69], "hi"),
        ] as [(Bool, [UInt8], String)])
    func decodesUnicodeUserComment(bigEndian: Bool, body: [UInt8], expected: String) throws {
        let comment = Array("UNICODE\0".utf8) + body
        let tiff = Support.tiff(bigEndian: bigEndian, ifd0: [.ascii(0x010F, "X")], exif: [.undefined(0x9286, comment)])
        let metadata = try MetadataReader.read(Support.png([("eXIf", tiff)]))
        #expect(metadata.exif.userComment == expected)
    }

    @Test func decodesASCIIAndUndefinedUserComments() throws {
        for prefix in ["ASCII\0\0\0", "\0\0\0\0\0\0\0\0"] {
            let comment = Array(prefix.utf8) + Array("Steps: 20, Sampler: Euler a".utf8)
            let tiff = Support.tiff(bigEndian: true, ifd0: [], exif: [.undefined(0x9286, comment)])
            let metadata = try MetadataReader.read(Support.webp([("EXIF", tiff)]))
            #expect(metadata.exif.userComment == "Steps: 20, Sampler: Euler a")
        }
    }

    @Test func readsPNGTextChunksOfAllThreeKinds() throws {
        let compressed = Support.zlibStored(Array("painted by hand".utf8))
        let international = Array("Title\0\u{1}\0fr\0Titre\0".utf8) + Support.zlibStored(Array("Ça va".utf8))
        let metadata = try MetadataReader.read(
            Support.png([
                ("tEXt", Array("Comment\0caf".utf8) + [0xE9]),
                ("zTXt", Array("Description\0\0".utf8) + compressed),
                ("iTXt", international),
                ("caBX", [1, 2, 3]),
            ]))
        #expect(metadata.pngTextValue("Comment") == "café")
        #expect(metadata.pngTextValue("Description") == "painted by hand")
        #expect(metadata.pngTextValue("Title") == "Ça va")
        #expect(metadata.pngText.map(\.kind) == [.tEXt, .zTXt, .iTXt])
        #expect(metadata.c2paSources == ["png:caBX"])
        #expect(metadata.descriptionCandidates.map(\.source) == ["png:Description", "png:Comment"])
    }

    @Test func readsIPTCCaptionAndC2PAAndCommentFromJPEG() throws {
        let caption = Array("two dogs in a hut".utf8)
        let iim: [UInt8] =
            [0x1C, 2, 5, 0, 3] + Array("obj".utf8)
            + [0x1C, 2, 120] + Support.u16(UInt16(caption.count), bigEndian: true) + caption
        let resource = Array("8BIM".utf8) + [0x04, 0x04, 0, 0] + Support.u32(UInt32(iim.count), bigEndian: true) + iim
        let jumbf =
            Array("JP".utf8) + [0, 1, 0, 0, 0, 1] + Support.u32(40, bigEndian: true) + Array("jumbjumd".utf8)
            + [UInt8](repeating: 0, count: 16) + Array("c2pa\0".utf8)
        let metadata = try MetadataReader.read(
            Support.jpeg([
                (0xED, Array("Photoshop 3.0\0".utf8) + (iim.count % 2 == 1 ? resource + [0] : resource)),
                (0xEB, jumbf),
                (0xFE, Array("Created with GIMP".utf8)),
            ]))
        #expect(metadata.iptcCaption == "two dogs in a hut")
        #expect(metadata.hasC2PA)
        #expect(metadata.jpegComments == ["Created with GIMP"])
        #expect(
            metadata.descriptionCandidates == [
                DescriptionCandidate(source: "iptc:caption", text: "two dogs in a hut")
            ])
    }

    @Test func reassemblesExtendedXMP() throws {
        let guid = Array("0123456789ABCDEF0123456789ABCDEF".utf8)
        let packet = Array(
            """
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
            <rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Make="FUJIFILM"/></rdf:RDF></x:xmpmeta>
            """.utf8)
        let half = packet.count / 2
        func part(_ range: Range<Int>) -> [UInt8] {
            Array("http://ns.adobe.com/xmp/extension/\0".utf8) + guid
                + Support.u32(UInt32(packet.count), bigEndian: true)
                + Support.u32(UInt32(range.lowerBound), bigEndian: true) + Array(packet[range])
        }
        let main = Array("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>".utf8)
        let metadata = try MetadataReader.read(
            Support.jpeg([
                (0xE1, main), (0xE1, part(half..<packet.count)), (0xE1, part(0..<half)),
            ]))
        #expect(metadata.xmpPackets.count == 2)
        #expect(metadata.xmp.make == "FUJIFILM")
    }
}
