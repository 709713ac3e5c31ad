/// The EXIF tags imgrec reads from IFD0 and the Exif sub-IFD. Strings are trimmed of surrounding
/// whitespace and NUL padding; an empty value is stored as nil.
public struct ExifTags: Sendable, Equatable {
    /// 0x010F Make.
    public var make: String?
    /// 0x0110 Model.
    public var model: String?
    /// 0x0131 Software.
    public var software: String?
    /// 0x013B Artist.
    public var artist: String?
    /// 0x0132 DateTime (last modification).
    public var dateTime: String?
    /// 0x9003 DateTimeOriginal.
    public var dateTimeOriginal: String?
    /// 0x010E ImageDescription.
    public var imageDescription: String?
    /// 0x9286 UserComment, decoded from its 8-byte character-code prefix.
    public var userComment: String?
    /// 0x829A ExposureTime in seconds.
    public var exposureTime: Double?
    /// 0x829D FNumber.
    public var fNumber: Double?
    /// 0x920A FocalLength in millimetres.
    public var focalLength: Double?
    /// 0x8827 ISO speed (PhotographicSensitivity).
    public var iso: Int?
    /// 0x0112 Orientation as stored (1...8 when valid).
    public var orientation: Int?

    /// Creates an empty set of tags.
    public init() {}

    /// Whether no tag was read.
    public var isEmpty: Bool { self == ExifTags() }
}
