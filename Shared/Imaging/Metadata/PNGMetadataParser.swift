/// Reads PNG chunks that carry metadata: `tEXt`, `zTXt`, `iTXt` (including the XMP packet under
/// `XML:com.adobe.xmp`), `eXIf` and the C2PA chunk `caBX`. Image data chunks are skipped unread and
/// CRCs are not checked.
enum PNGMetadataParser {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func parse(_ bytes: [UInt8], into metadata: inout ImageMetadata) {
        let data = MetadataBytes(bytes)
        var position = signature.count
        while position < data.count {
            guard let length = data.u32(position, bigEndian: true).map(Int.init),
                let type = data.slice(position + 4, 4)
            else {
                metadata.warnings.append("png: truncated chunk header at \(position)")
                return
            }
            guard let body = data.slice(position + 8, length) else {
                metadata.warnings.append("png: chunk \(type.latin1Text) runs past the end of the file")
                return
            }
            switch type.latin1Text {
            case "IEND": return
            case "tEXt": addText(body, kind: .tEXt, to: &metadata)
            case "zTXt": addText(body, kind: .zTXt, to: &metadata)
            case "iTXt": addText(body, kind: .iTXt, to: &metadata)
            case "eXIf": TIFFParser.parse(body, into: &metadata.exif, warnings: &metadata.warnings)
            case "caBX":
                metadata.c2paSources.append("png:caBX")
                C2PAManifestReader.read(body, source: "png:caBX", into: &metadata)
            default: break
            }
            position += 12 + length
        }
    }

    private static func addText(_ body: [UInt8], kind: PNGTextChunk.Kind, to metadata: inout ImageMetadata) {
        guard metadata.pngText.count < MetadataLimits.maxTextItems else { return }
        guard let separator = body.firstIndex(of: 0), separator > 0 else {
            metadata.warnings.append("png: \(kind.rawValue) chunk without a keyword")
            return
        }
        let keyword = Array(body[..<separator]).latin1Text
        let rest = Array(body[(separator + 1)...])

        let text: String?
        switch kind {
        case .tEXt:
            text = rest.latin1Text
        case .zTXt:
            text = inflated(Array(rest.dropFirst()), keyword: keyword, warnings: &metadata.warnings)?.latin1Text
        case .iTXt:
            text = internationalText(rest, keyword: keyword, warnings: &metadata.warnings)
        }
        guard let text else { return }

        metadata.pngText.append(PNGTextChunk(keyword: keyword, text: text, kind: kind))
        if keyword == "XML:com.adobe.xmp" {
            metadata.xmpPackets.append(text)
        }
    }

    /// The text of an `iTXt` body after its keyword: flags, language tag, translated keyword, text.
    private static func internationalText(_ rest: [UInt8], keyword: String, warnings: inout [String]) -> String? {
        let fields = MetadataBytes(rest)
        guard let compressed = fields.u8(0), rest.count >= 2,
            let languageEnd = rest[2...].firstIndex(of: 0),
            let translatedEnd = rest[(languageEnd + 1)...].firstIndex(of: 0)
        else {
            warnings.append("png: malformed iTXt chunk \(keyword)")
            return nil
        }
        let payload = Array(rest[(translatedEnd + 1)...])
        if compressed == 0 { return payload.metadataText }
        return inflated(payload, keyword: keyword, warnings: &warnings)?.metadataText
    }

    private static func inflated(_ payload: [UInt8], keyword: String, warnings: inout [String]) -> [UInt8]? {
        do {
            return try MetadataInflater.inflate(payload)
        } catch .tooLarge {
            warnings.append("png: text chunk \(keyword) inflates past \(MetadataLimits.maxInflatedBytes) bytes")
        } catch {
            warnings.append("png: text chunk \(keyword) is not a valid zlib stream")
        }
        return nil
    }
}
