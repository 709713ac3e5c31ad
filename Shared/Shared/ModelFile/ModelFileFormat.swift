/// Constants of model-file format v1; docs/MODEL_FORMAT.md describes the layout in full.
public enum ModelFileFormat {
    /// The eight bytes every model file starts with.
    public static let magic: [UInt8] = Array("IMGRECMF".utf8)
    /// The format version this build writes and reads.
    public static let version: UInt32 = 1
    /// Size of the fixed preamble before the JSON header.
    public static let preambleSize = 64
    /// Alignment of the header's end and of every section's start.
    public static let alignment = 64
    /// The largest JSON header a reader accepts.
    public static let maxHeaderBytes = 64 << 20

    /// `value` rounded up to the next multiple of `alignment`, or nil on overflow.
    static func aligned(_ value: UInt64) -> UInt64? {
        let mask = UInt64(alignment - 1)
        let (sum, overflow) = value.addingReportingOverflow(mask)
        return overflow ? nil : sum & ~mask
    }
}
