extension MetadataReader {
    /// Looks for generation parameters hidden in the least-significant bits of a PNG's or WebP's pixels
    /// (see `StealthParameters`) and stores them in `metadata.stealthParameters`, and the stream's signature in
    /// `metadata.stealthSignature`.
    ///
    /// Decoding pixels costs far more than reading chunks, so this is not part of `read(_:)`: call it
    /// for files that carry no other generator metadata. Only the top rows are decoded unless they start
    /// with a stealth signature, and then only the columns the stream takes are kept. A PNG may therefore
    /// exceed `decoder`'s pixel limit, up to `ImageDecoder.maxLowBitPixels`; a WebP, decoded whole, may
    /// not. JPEG files are left alone (lossy compression destroys the low bits). Never throws and never
    /// traps: a stream with a signature but a bad length, a damaged or oversized gzip payload, or text that
    /// is not UTF-8 adds a warning, as do pixels that cannot be decoded or are over the limit.
    public static func readStealthParameters(
        _ bytes: [UInt8], into metadata: inout ImageMetadata, decoder: ImageDecoder = ImageDecoder()
    ) {
        guard metadata.format == .png || metadata.format == .webp else { return }

        let stream: (kind: StealthStream.Kind, plane: LowBitPlane)?
        do {
            stream = try stealthStream(bytes, decoder: decoder)
        } catch {
            if error.kind == .tooLarge && metadata.format == .webp {
                let reason = "a WebP is decoded whole and this one is over the pixel limit"
                metadata.warnings.append("stealth: parameters not looked for, \(reason) (\(error.description))")
            } else {
                metadata.warnings.append("stealth: pixels not read (\(error.description))")
            }
            return
        }
        guard let (kind, plane) = stream else { return }
        metadata.stealthSignature = kind.signature

        do {
            metadata.stealthParameters = try StealthStream.parameters(kind, in: plane)
        } catch {
            metadata.warnings.append("stealth: \(kind.signature) stream ignored, \(error.description)")
        }
    }

    /// The kind of stream whose signature starts the low bits of a PNG or WebP, with the plane that holds
    /// it, cut to the columns the stream takes; nil when no signature starts them.
    static func stealthStream(
        _ bytes: [UInt8], decoder: ImageDecoder
    ) throws(ImageDecodingError) -> (kind: StealthStream.Kind, plane: LowBitPlane)? {
        var plane = try decoder.lowBitPlane(
            bytes, firstRows: StealthStream.headerRows, leadingPixels: StealthStream.maxStreamPixels
        ) { top in
            StealthStream.kind(in: top).map { StealthStream.columns($0, in: top) } ?? 0
        }
        guard let kind = StealthStream.kind(in: plane) else { return nil }
        plane.keepColumns(StealthStream.columns(kind, in: plane))
        return (kind, plane)
    }
}
