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

        var text: String?
        var isComplete = true
        switch kind {
        case .tEXt:
            text = rest.latin1Text
        case .zTXt:
            let inflated = inflated(Array(rest.dropFirst()), keyword: keyword, metadata: &metadata)
            (text, isComplete) = (inflated.bytes?.latin1Text, inflated.isComplete)
        case .iTXt:
            (text, isComplete) = internationalText(rest, keyword: keyword, metadata: &metadata)
        }
        // A chunk whose stream could not be read at all is still kept, empty, when its keyword matters
        // more than its text: generator keywords are evidence on their own.
        if text == nil && !isComplete { text = "" }
        guard let text else { return }

        metadata.pngText.append(PNGTextChunk(keyword: keyword, text: text, kind: kind, isComplete: isComplete))
        if keyword == "XML:com.adobe.xmp" && isComplete {
            metadata.xmpPackets.append(text)
        }
    }

    /// The text of an `iTXt` body after its keyword: flags, language tag, translated keyword, text; and
    /// whether it was read whole.
    private static func internationalText(
        _ rest: [UInt8], keyword: String, metadata: inout ImageMetadata
    ) -> (
        String?, Bool
    ) {
        let fields = MetadataBytes(rest)
        guard let compressed = fields.u8(0), rest.count >= 2,
            let languageEnd = rest[2...].firstIndex(of: 0),
            let translatedEnd = rest[(languageEnd + 1)...].firstIndex(of: 0)
        else {
            metadata.warnings.append("png: malformed iTXt chunk \(keyword)")
            return (nil, true)
        }
        let payload = Array(rest[(translatedEnd + 1)...])
        if compressed == 0 { return (payload.metadataText, true) }
        let inflated = inflated(payload, keyword: keyword, metadata: &metadata)
        return (inflated.bytes?.metadataText, inflated.isComplete)
    }

    /// The inflated bytes of a compressed chunk, and whether they are all of them. A chunk that inflates
    /// past the limit, or is damaged after some text, keeps what inflated (with a warning), so parameters
    /// padded to hide behind the limit, or cut short, can still be read. All compressed chunks of a file
    /// share `MetadataLimits.maxInflatedBytesPerFile`; once it is spent, later ones are not inflated.
    private static func inflated(
        _ payload: [UInt8], keyword: String, metadata: inout ImageMetadata
    ) -> (
        bytes: [UInt8]?, isComplete: Bool
    ) {
        let spent = metadata.pngText.reduce(0) { $0 + ($1.kind == .tEXt ? 0 : $1.text.utf8.count) }
        let budget = MetadataLimits.maxInflatedBytesPerFile - spent
        guard budget > 0 else {
            metadata.warnings.append(
                "png: text chunk \(keyword) not inflated; the file's compressed text already inflates to "
                    + "\(MetadataLimits.maxInflatedBytesPerFile) bytes")
            return (nil, false)
        }
        let limit = min(MetadataLimits.maxInflatedBytes, budget)
        let (output, ending) = MetadataInflater.inflatePrefix(payload, limit: limit)
        switch ending {
        case .complete:
            return (output, true)
        case .tooLarge:
            metadata.warnings.append(
                "png: text chunk \(keyword) inflates past \(limit) bytes; the first \(limit) are read")
            return (output, false)
        case .corrupt where !output.isEmpty:
            metadata.warnings.append(
                "png: text chunk \(keyword) is a damaged zlib stream; the \(output.count) bytes before the damage "
                    + "are read"
            )
            return (output, false)
        case .corrupt:
            metadata.warnings.append("png: text chunk \(keyword) is not a valid zlib stream")
            return (nil, false)
        }
    }
}
