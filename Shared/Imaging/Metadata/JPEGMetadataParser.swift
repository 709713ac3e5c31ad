/// Reads the JPEG marker segments before the first scan that carry metadata: APP1 `Exif` and XMP
/// (including extended XMP), APP13 Photoshop IPTC, APP11 JUMBF (C2PA) and `COM`.
enum JPEGMetadataParser {
    static let exifHeader = Array("Exif\0\0".utf8)
    static let xmpHeader = Array("http://ns.adobe.com/xap/1.0/\0".utf8)
    static let extendedXMPHeader = Array("http://ns.adobe.com/xmp/extension/\0".utf8)
    static let photoshopHeader = Array("Photoshop 3.0\0".utf8)

    static func parse(_ bytes: [UInt8], into metadata: inout ImageMetadata) {
        let data = MetadataBytes(bytes)
        var extended = ExtendedXMPAssembler()
        var jumbf = JPEGXTAssembler()
        var position = 2
        while position < data.count {
            guard data.u8(position) == 0xFF else {
                metadata.warnings.append("jpeg: expected a marker at \(position)")
                break
            }
            var markerPosition = position + 1
            while data.u8(markerPosition) == 0xFF { markerPosition += 1 }
            guard let marker = data.u8(markerPosition) else { break }
            position = markerPosition + 1
            if marker == 0x01 || marker == 0xD8 || (0xD0...0xD7).contains(marker) { continue }
            if marker == 0xD9 || marker == 0xDA { break }

            guard let length = data.u16(position, bigEndian: true).map(Int.init), length >= 2,
                let segment = data.slice(position + 2, length - 2)
            else {
                metadata.warnings.append("jpeg: segment \(hex(marker)) runs past the end of the file")
                break
            }
            if marker == 0xEB { jumbf.add(segment, isC2PA: isC2PA(segment)) }
            handle(marker: marker, segment: segment, extended: &extended, metadata: &metadata)
            position += length
        }
        metadata.xmpPackets += extended.packets(warnings: &metadata.warnings)
        let stores = jumbf.c2paStores(warnings: &metadata.warnings)
        metadata.c2paUnreadableParts += jumbf.c2paInstanceCount - stores.count
        for store in stores {
            C2PAManifestReader.read(store, source: "jpeg:APP11", into: &metadata)
        }
    }

    private static func handle(
        marker: UInt8, segment: [UInt8], extended: inout ExtendedXMPAssembler,
        metadata: inout ImageMetadata
    ) {
        let data = MetadataBytes(segment)
        switch marker {
        case 0xE1 where data.matches(exifHeader, at: 0):
            TIFFParser.parse(
                Array(segment.dropFirst(exifHeader.count)), into: &metadata.exif,
                warnings: &metadata.warnings)
        case 0xE1 where data.matches(xmpHeader, at: 0):
            guard metadata.xmpPackets.count < MetadataLimits.maxTextItems else { return }
            metadata.xmpPackets.append(Array(segment.dropFirst(xmpHeader.count)).metadataText)
        case 0xE1 where data.matches(extendedXMPHeader, at: 0):
            extended.add(Array(segment.dropFirst(extendedXMPHeader.count)))
        case 0xED where data.matches(photoshopHeader, at: 0):
            let caption = IPTCParser.caption(inPhotoshopResources: Array(segment.dropFirst(photoshopHeader.count)))
            metadata.iptcCaption = metadata.iptcCaption ?? caption
        case 0xEB where isC2PA(segment):
            if !metadata.c2paSources.contains("jpeg:APP11") { metadata.c2paSources.append("jpeg:APP11") }
        case 0xFE:
            guard metadata.jpegComments.count < MetadataLimits.maxTextItems,
                let comment = segment.uptoNUL.metadataText.metadataTrimmed
            else { return }
            metadata.jpegComments.append(comment)
        default:
            break
        }
    }

    /// A JPEG XT box (`JP` common identifier) holding a JUMBF superbox labelled for C2PA.
    private static func isC2PA(_ segment: [UInt8]) -> Bool {
        guard MetadataBytes(segment).matches(Array("JP".utf8), at: 0) else { return false }
        return segment.metadataIndex(of: Array("jumb".utf8)) != nil
            && segment.metadataIndex(of: Array("c2pa".utf8)) != nil
    }

    private static func hex(_ marker: UInt8) -> String {
        let digits = String(marker, radix: 16, uppercase: true)
        return "FF" + (digits.count == 1 ? "0" + digits : digits)
    }
}

/// Reassembles extended XMP: APP1 segments holding a 32-byte GUID, the full length, the chunk offset
/// and a chunk of the packet. Packets over the size cap or with chunks outside the declared length are
/// dropped with a warning.
struct ExtendedXMPAssembler {
    private var buffers: [String: [UInt8]] = [:]
    private var order: [String] = []

    mutating func add(_ body: [UInt8]) {
        let data = MetadataBytes(body)
        guard let guidBytes = data.slice(0, 32), let fullLength = data.u32(32, bigEndian: true).map(Int.init),
            let offset = data.u32(36, bigEndian: true).map(Int.init),
            fullLength <= MetadataLimits.maxInflatedBytes
        else { return }
        let guid = guidBytes.latin1Text
        let chunk = body.dropFirst(40)
        if buffers[guid] == nil {
            guard order.count < 4 else { return }
            buffers[guid] = [UInt8](repeating: 0, count: fullLength)
            order.append(guid)
        }
        guard var buffer = buffers[guid], offset <= buffer.count, chunk.count <= buffer.count - offset else {
            return
        }
        buffers[guid] = nil
        buffer.replaceSubrange(offset..<(offset + chunk.count), with: chunk)
        buffers[guid] = buffer
    }

    func packets(warnings: inout [String]) -> [String] {
        order.compactMap { guid in
            guard let buffer = buffers[guid] else { return nil }
            let text = buffer.uptoNUL.metadataText
            if text.isEmpty { warnings.append("jpeg: extended XMP \(guid) is empty") }
            return text.isEmpty ? nil : text
        }
    }
}
