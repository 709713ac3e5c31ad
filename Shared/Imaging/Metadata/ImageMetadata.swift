/// Everything the metadata reader found in one image file: EXIF, XMP, PNG text chunks, IPTC caption,
/// C2PA manifest data with the digital source types it declares and, when asked for, generation
/// parameters hidden in the pixels.
///
/// The reader is best-effort: a damaged segment is skipped and described in `warnings`, and the rest of
/// the file is still read. Only an unrecognised format is an error (see `MetadataReader`).
public struct ImageMetadata: Sendable, Equatable {
    /// The container formats the reader understands, detected from the file's magic bytes.
    public enum Format: String, Sendable, Codable, CaseIterable {
        case jpeg, png, webp
    }

    /// The container format of the file.
    public var format: Format
    /// Tags read from EXIF IFD0 and the Exif sub-IFD.
    public var exif: ExifTags
    /// Every raw XMP packet found, in file order (an extended JPEG XMP packet follows the main one).
    public var xmpPackets: [String]
    /// The XMP properties imgrec uses, pulled out of all packets.
    public var xmp: XMPProperties
    /// PNG `tEXt`, `zTXt` and `iTXt` chunks in file order (XMP packets are also kept here under their key).
    public var pngText: [PNGTextChunk]
    /// The IPTC-IIM caption (record 2, dataset 120) from a JPEG APP13 Photoshop segment.
    public var iptcCaption: String?
    /// Where C2PA manifest data was found: `jpeg:APP11`, `png:caBX` or `webp:C2PA`.
    public var c2paSources: [String]
    /// Whether a C2PA manifest store was read far enough to find its active (last) manifest.
    public var c2paManifestParsed: Bool
    /// The IPTC digital source type codes (such as `digitalCapture` or `trainedAlgorithmicMedia`, the
    /// last path component of the URI) that the actions of the active C2PA manifest declare, in order.
    public var c2paDigitalSourceTypes: [String]
    /// C2PA manifest stores, or actions assertions of active manifests, that could not be read (damaged,
    /// cut short, over a size cap): what they declare is unknown, so a capture type read elsewhere in the
    /// file is not enough to call it a photo.
    public var c2paUnreadableParts: Int
    /// JPEG `COM` segment texts.
    public var jpegComments: [String]
    /// Generation parameters hidden in the pixels' low bits; only
    /// `MetadataReader.readStealthParameters(_:into:decoder:)` looks for them.
    public var stealthParameters: StealthParameters?
    /// The signature of a stealth stream found in the low bits (such as `stealth_pngcomp`), also when its
    /// payload could not be read: 120 chosen bits do not occur by chance, so it names the writer either way.
    public var stealthSignature: String?
    /// Notes about parts of the file that were damaged or over a limit and were skipped.
    public var warnings: [String]

    /// Creates metadata with only the format set; the reader fills in the rest.
    public init(format: Format) {
        self.format = format
        exif = ExifTags()
        xmpPackets = []
        xmp = XMPProperties()
        pngText = []
        iptcCaption = nil
        c2paSources = []
        c2paManifestParsed = false
        c2paDigitalSourceTypes = []
        c2paUnreadableParts = 0
        jpegComments = []
        stealthParameters = nil
        stealthSignature = nil
        warnings = []
    }

    /// Whether any C2PA (content credentials) manifest data is present.
    public var hasC2PA: Bool { !c2paSources.isEmpty }

    /// The EXIF orientation (1...8) the decoder should apply, or nil when absent or out of range.
    public var orientation: Int? {
        guard let value = exif.orientation, (1...8).contains(value) else { return nil }
        return value
    }

    /// The text of the first PNG text chunk with this exact keyword.
    public func pngTextValue(_ keyword: String) -> String? {
        pngText.first { $0.keyword == keyword }?.text
    }
}
