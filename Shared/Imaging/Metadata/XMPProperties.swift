/// The XMP properties imgrec uses. Each is the first value found across all packets, in attribute or
/// element form; language alternatives (`rdf:Alt`) give the `x-default` entry, lists their first item.
public struct XMPProperties: Sendable, Equatable {
    /// `Iptc4xmpExt:DigitalSourceType`, as stored (usually a full IPTC NewsCodes URI).
    public var digitalSourceType: String?
    /// `tiff:Make`.
    public var make: String?
    /// `tiff:Model`.
    public var model: String?
    /// `exif:DateTimeOriginal`.
    public var dateTimeOriginal: String?
    /// `exif:ExposureTime`, as stored (for example `1/60`).
    public var exposureTime: String?
    /// `exif:FNumber`, as stored (for example `8/1`).
    public var fNumber: String?
    /// `dc:description`.
    public var description: String?
    /// `xmp:CreatorTool`.
    public var creatorTool: String?

    /// Creates an empty set of properties.
    public init() {}

    /// The last path component of `digitalSourceType`, such as `trainedAlgorithmicMedia`.
    public var digitalSourceTypeCode: String? {
        guard let value = digitalSourceType else { return nil }
        let code = value.split(separator: "/").last.map(String.init) ?? value
        return code.isEmpty ? nil : code
    }
}
