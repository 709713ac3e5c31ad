extension MetadataReader {
    /// Looks for generation parameters hidden in the least-significant bits of a PNG's or WebP's pixels
    /// (see `StealthParameters`) and stores them in `metadata.stealthParameters`, and the stream's signature in
    /// `metadata.stealthSignature`.
    ///
    /// Decoding pixels costs far more than reading chunks, so this is not part of `read(_:)`: call it
    /// for files that carry no other generator metadata. Only the top rows are decoded unless they start
    /// with a stealth signature, and `decoder`'s pixel limit applies. JPEG files are left alone (lossy
    /// compression destroys the low bits). Never throws and never traps: a stream with a signature but a
    /// bad length, a damaged or oversized gzip payload, or text that is not UTF-8 adds a warning, as do
    /// pixels that cannot be decoded.
    public static func readStealthParameters(
        _ bytes: [UInt8], into metadata: inout ImageMetadata, decoder: ImageDecoder = ImageDecoder()
    ) {
        guard metadata.format == .png || metadata.format == .webp else { return }

        let plane: LowBitPlane
        do {
            plane = try decoder.lowBitPlane(bytes, firstRows: StealthStream.signatureRows) { top in
                StealthStream.kind(in: top) != nil
            }
        } catch {
            metadata.warnings.append("stealth: pixels not read (\(error.description))")
            return
        }
        guard let kind = StealthStream.kind(in: plane) else { return }
        metadata.stealthSignature = kind.signature

        do {
            metadata.stealthParameters = try StealthStream.parameters(kind, in: plane)
        } catch {
            metadata.warnings.append("stealth: \(kind.signature) stream ignored, \(error.description)")
        }
    }
}
