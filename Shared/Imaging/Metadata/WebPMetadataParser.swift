/// Reads the RIFF chunks of a WebP file that carry metadata: `EXIF`, `XMP ` and `C2PA`.
enum WebPMetadataParser {
    static func parse(_ bytes: [UInt8], into metadata: inout ImageMetadata) {
        let data = MetadataBytes(bytes)
        var position = 12
        while position < data.count {
            guard let fourCC = data.slice(position, 4), let size = data.u32(position + 4, bigEndian: false) else {
                metadata.warnings.append("webp: truncated chunk header at \(position)")
                return
            }
            guard let body = data.slice(position + 8, Int(size)) else {
                metadata.warnings.append("webp: chunk \(fourCC.latin1Text) runs past the end of the file")
                return
            }
            switch fourCC.latin1Text {
            case "EXIF":
                // Some writers keep the JPEG APP1 `Exif\0\0` header in front of the TIFF data.
                let tiff =
                    MetadataBytes(body).matches(JPEGMetadataParser.exifHeader, at: 0)
                    ? Array(body.dropFirst(JPEGMetadataParser.exifHeader.count)) : body
                TIFFParser.parse(tiff, into: &metadata.exif, warnings: &metadata.warnings)
            case "XMP ":
                metadata.xmpPackets.append(body.metadataText)
            case "C2PA":
                metadata.c2paSources.append("webp:C2PA")
                C2PAManifestReader.read(body, source: "webp:C2PA", into: &metadata)
            default:
                break
            }
            position += 8 + Int(size) + Int(size % 2)
        }
    }
}
