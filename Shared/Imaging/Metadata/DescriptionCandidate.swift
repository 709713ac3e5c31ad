/// A human-readable description stored in an image, for the captioner's `embedded` engine.
public struct DescriptionCandidate: Sendable, Equatable, Codable {
    /// Where the text came from: `exif:ImageDescription`, `xmp:dc:description`, `iptc:caption`,
    /// `png:Description` or `png:Comment`.
    public var source: String
    /// The description, trimmed.
    public var text: String

    /// Creates a candidate.
    public init(source: String, text: String) {
        self.source = source
        self.text = text
    }
}

extension ImageMetadata {
    /// Placeholder descriptions that cameras and tools write instead of a real one.
    private static let placeholderDescriptions: Set<String> = [
        "olympus digital camera", "sony dsc", "default", "image", "untitled", "dcim", "created with gimp",
    ]

    /// Descriptions found in the file, best first: EXIF ImageDescription, XMP dc:description, IPTC
    /// caption, PNG `Description`, PNG `Comment`. Empty texts, camera placeholders such as
    /// "OLYMPUS DIGITAL CAMERA", JSON blobs (generator settings) and repeats are left out.
    public var descriptionCandidates: [DescriptionCandidate] {
        // A PNG text read only in part (damaged, or cut at the inflation limit) is no description.
        let wholePNGText = { (keyword: String) in pngText.first { $0.keyword == keyword && $0.isComplete }?.text }
        let raw: [(String, String?)] = [
            ("exif:ImageDescription", exif.imageDescription),
            ("xmp:dc:description", xmp.description),
            ("iptc:caption", iptcCaption),
            ("png:Description", wholePNGText("Description")),
            ("png:Comment", wholePNGText("Comment")),
        ]
        var seen: Set<String> = []
        var candidates: [DescriptionCandidate] = []
        for (source, value) in raw {
            guard let text = value?.metadataTrimmed,
                !Self.placeholderDescriptions.contains(text.lowercased()),
                !(text.hasPrefix("{") || text.hasPrefix("[")),
                seen.insert(text).inserted
            else { continue }
            candidates.append(DescriptionCandidate(source: source, text: text))
        }
        return candidates
    }
}
