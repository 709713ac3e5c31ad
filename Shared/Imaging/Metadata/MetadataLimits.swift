/// Caps that keep hostile files from costing unbounded memory or time.
enum MetadataLimits {
    /// Most bytes a `zTXt`/compressed `iTXt` chunk may inflate to, and most bytes of reassembled
    /// extended XMP.
    static let maxInflatedBytes = 8 << 20
    /// Most bytes all `zTXt` and compressed `iTXt` chunks of one file may inflate to together.
    static let maxInflatedBytesPerFile = 32 << 20
    /// Most entries read from one IFD; a larger declared count is read only up to this many.
    static let maxIFDEntries = 1024
    /// Most text chunks, XMP packets or comments kept from one file.
    static let maxTextItems = 256
    /// Most bytes of a stealth parameters payload, before and after gzip decompression.
    static let maxStealthPayloadBytes = 1 << 20
    /// Most bytes of C2PA JUMBF data kept from one file (all JPEG APP11 packets together); more is not parsed.
    static let maxC2PABytes = 16 << 20
    /// Most JPEG APP11 JPEG XT packets kept from one file.
    static let maxC2PAPackets = 4096
    /// Most levels of nested JUMBF superboxes.
    static let maxJUMBFDepth = 16
    /// Most JUMBF boxes read from one manifest store.
    static let maxJUMBFBoxes = 4096
    /// Most levels of nested CBOR containers and tags.
    static let maxCBORDepth = 32
    /// Most CBOR data items decoded from one assertion.
    static let maxCBORItems = 65_536
    /// Most bytes of one CBOR byte or text string.
    static let maxCBORStringBytes = 1 << 20
}
