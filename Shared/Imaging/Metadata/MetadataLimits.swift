/// Caps that keep hostile files from costing unbounded memory or time.
enum MetadataLimits {
    /// Most bytes a `zTXt`/compressed `iTXt` chunk may inflate to, and most bytes of reassembled
    /// extended XMP.
    static let maxInflatedBytes = 8 << 20
    /// Most entries read from one IFD; a larger declared count is read only up to this many.
    static let maxIFDEntries = 1024
    /// Most text chunks, XMP packets or comments kept from one file.
    static let maxTextItems = 256
    /// Most bytes of a stealth parameters payload, before and after gzip decompression.
    static let maxStealthPayloadBytes = 1 << 20
}
