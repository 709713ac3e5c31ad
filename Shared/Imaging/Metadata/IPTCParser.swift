/// Finds the IPTC-IIM caption (record 2, dataset 120) inside Photoshop image resources (the body of a
/// JPEG APP13 `Photoshop 3.0` segment).
enum IPTCParser {
    /// The caption, or nil when there is none or the structure is damaged.
    static func caption(inPhotoshopResources resources: [UInt8]) -> String? {
        let data = MetadataBytes(resources)
        var position = 0
        while data.matches(Array("8BIM".utf8), at: position) {
            guard let identifier = data.u16(position + 4, bigEndian: true),
                let nameLength = data.u8(position + 6).map(Int.init)
            else { return nil }
            // The Pascal name (length byte + text) is padded to an even size.
            let nameSize = (nameLength + 1) % 2 == 0 ? nameLength + 1 : nameLength + 2
            let sizePosition = position + 6 + nameSize
            guard let size = data.u32(sizePosition, bigEndian: true).map(Int.init),
                let body = data.slice(sizePosition + 4, size)
            else { return nil }
            if identifier == 0x0404, let caption = caption(inIIM: body) { return caption }
            position = sizePosition + 4 + size + size % 2
        }
        return nil
    }

    /// The first 2:120 dataset of an IPTC-IIM stream.
    static func caption(inIIM stream: [UInt8]) -> String? {
        let data = MetadataBytes(stream)
        var position = 0
        while data.u8(position) == 0x1C {
            guard let record = data.u8(position + 1), let dataset = data.u8(position + 2),
                let size = data.u16(position + 3, bigEndian: true).map(Int.init),
                size & 0x8000 == 0, let value = data.slice(position + 5, size)
            else { return nil }
            if record == 2 && dataset == 120 { return value.metadataText.metadataTrimmed }
            position += 5 + size
        }
        return nil
    }
}
