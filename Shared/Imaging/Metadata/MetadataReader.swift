/// Reads image metadata from file bytes: the entry point of the metadata part of `Imaging`.
///
/// Error policy: a file whose magic bytes are not JPEG, PNG or WebP throws
/// `MetadataError(code: .unsupportedFormat)`. Anything else never throws and never traps: damaged or
/// truncated segments, offsets outside the file, oversized declared lengths and zlib bombs are skipped,
/// noted in `ImageMetadata.warnings`, and whatever could be read is returned.
public enum MetadataReader {
    /// The container format the magic bytes announce, or nil for anything else.
    public static func detectFormat(_ bytes: [UInt8]) -> ImageMetadata.Format? {
        let data = MetadataBytes(bytes)
        if data.matches([0xFF, 0xD8, 0xFF], at: 0) { return .jpeg }
        if data.matches(PNGMetadataParser.signature, at: 0) { return .png }
        if data.matches(Array("RIFF".utf8), at: 0) && data.matches(Array("WEBP".utf8), at: 8) { return .webp }
        return nil
    }

    /// All metadata imgrec uses, read from the complete file `bytes`.
    /// - Throws: `MetadataError` with code `.unsupportedFormat` when the format is not recognised.
    public static func read(_ bytes: [UInt8]) throws(MetadataError) -> ImageMetadata {
        guard let format = detectFormat(bytes) else {
            throw MetadataError(code: .unsupportedFormat, message: "not a JPEG, PNG or WebP file")
        }
        var metadata = ImageMetadata(format: format)
        switch format {
        case .jpeg: JPEGMetadataParser.parse(bytes, into: &metadata)
        case .png: PNGMetadataParser.parse(bytes, into: &metadata)
        case .webp: WebPMetadataParser.parse(bytes, into: &metadata)
        }
        metadata.xmp = XMPParser.properties(of: metadata.xmpPackets)
        return metadata
    }

    /// The EXIF orientation (1...8) of an image, or nil when it has none or the format is not supported;
    /// what the decoder applies before handing out pixels.
    public static func orientation(of bytes: [UInt8]) -> Int? {
        (try? read(bytes))?.orientation
    }
}
