/// One JUMBF (ISO/IEC 19566-5) box: a superbox (`jumb`) with the label from its description box and
/// its child boxes, or a content box (such as `cbor` or `json`) with its payload.
struct JUMBFBox: Equatable, Sendable {
    /// The four-character box type: `jumb` for a superbox.
    var type: String
    /// A superbox's label from its `jumd` description box, when it has one.
    var label: String?
    /// A superbox's 16-byte content type UUID from its description box; empty for content boxes.
    var contentType: [UInt8] = []
    /// A superbox's boxes after the description box, in order.
    var children: [JUMBFBox] = []
    /// A content box's payload; empty for superboxes.
    var payload: [UInt8] = []
    /// Whether a superbox was read to its end; false when a malformed box inside it stopped the reader,
    /// so that boxes after it (such as the last, active manifest of a store) may be missing.
    var isComplete = true

    /// Whether this is a superbox.
    var isSuperbox: Bool { type == "jumb" }

    /// The first child superbox with this label.
    func child(labelled label: String) -> JUMBFBox? {
        children.first { $0.isSuperbox && $0.label == label }
    }
}

/// Reads a sequence of JUMBF boxes: LBox (u32 big-endian, the box size including its header), TBox (four
/// ASCII bytes) and, when LBox is 1, XLBox (u64). LBox 0 means "to the end of the enclosing data".
///
/// Nesting depth and the number of boxes are capped (`MetadataLimits`). A malformed box (a size
/// smaller than its header or past the end of its parent, a superbox without a description box, too
/// deep a nesting) stops reading with a warning; the boxes read before it are kept, and every superbox
/// around it is marked incomplete.
struct JUMBFReader {
    private let bytes: [UInt8]
    private var boxCount = 0
    private var warnings: [String] = []
    private var stopped = false

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The top-level boxes of `bytes`; problems are appended to `warnings` with the prefix `c2pa:`.
    static func boxes(_ bytes: [UInt8], warnings: inout [String]) -> [JUMBFBox] {
        var reader = JUMBFReader(bytes)
        let boxes = reader.boxes(in: 0..<bytes.count, depth: 0)
        warnings += reader.warnings
        return boxes
    }

    private mutating func boxes(in range: Range<Int>, depth: Int) -> [JUMBFBox] {
        var boxes: [JUMBFBox] = []
        var position = range.lowerBound
        while position < range.upperBound && !stopped {
            guard let (type, body) = header(at: position, end: range.upperBound) else { break }
            boxCount += 1
            guard boxCount <= MetadataLimits.maxJUMBFBoxes else {
                stop("more than \(MetadataLimits.maxJUMBFBoxes) JUMBF boxes")
                break
            }
            if type == "jumb" {
                guard depth < MetadataLimits.maxJUMBFDepth else {
                    stop("JUMBF superboxes nested deeper than \(MetadataLimits.maxJUMBFDepth)")
                    break
                }
                guard let superbox = readSuperbox(body, depth: depth) else { break }
                boxes.append(superbox)
            } else {
                boxes.append(JUMBFBox(type: type, payload: Array(bytes[body])))
            }
            position = body.upperBound
        }
        return boxes
    }

    /// The box type and the range of its body, or nil (with a warning) when the header is malformed.
    private mutating func header(at position: Int, end: Int) -> (String, Range<Int>)? {
        let data = MetadataBytes(bytes)
        guard end - position >= 8, let size = data.u32(position, bigEndian: true),
            let type = data.slice(position + 4, 4)
        else {
            stop("truncated JUMBF box header at \(position)")
            return nil
        }
        let typeText = type.latin1Text
        var headerSize = 8
        var boxSize: UInt64
        switch size {
        case 0:
            boxSize = UInt64(end - position)
        case 1:
            guard end - position >= 16, let high = data.u32(position + 8, bigEndian: true),
                let low = data.u32(position + 12, bigEndian: true)
            else {
                stop("truncated JUMBF XLBox in \(typeText) at \(position)")
                return nil
            }
            headerSize = 16
            boxSize = UInt64(high) << 32 | UInt64(low)
        default:
            boxSize = UInt64(size)
        }
        guard boxSize >= UInt64(headerSize), boxSize <= UInt64(end - position) else {
            stop("JUMBF box \(typeText) at \(position) declares \(boxSize) bytes, \(end - position) are left")
            return nil
        }
        return (typeText, (position + headerSize)..<(position + Int(boxSize)))
    }

    /// A superbox from its body: a `jumd` description box, then its content boxes.
    private mutating func readSuperbox(_ body: Range<Int>, depth: Int) -> JUMBFBox? {
        guard let (type, description) = header(at: body.lowerBound, end: body.upperBound) else { return nil }
        let data = MetadataBytes(bytes)
        guard type == "jumd", let contentType = data.slice(description.lowerBound, 16),
            description.count >= 17, let toggles = data.u8(description.lowerBound + 16)
        else {
            stop("JUMBF superbox at \(body.lowerBound) has no valid description box")
            return nil
        }
        var label: String?
        if toggles & 0x02 != 0 {
            let start = description.lowerBound + 17
            guard let end = bytes[start..<description.upperBound].firstIndex(of: 0) else {
                stop("JUMBF label at \(start) is not NUL-terminated")
                return nil
            }
            label = String(validating: bytes[start..<end], as: UTF8.self)
        }
        let children = boxes(in: description.upperBound..<body.upperBound, depth: depth + 1)
        return JUMBFBox(
            type: "jumb", label: label, contentType: contentType, children: children, isComplete: !stopped)
    }

    private mutating func stop(_ warning: String) {
        guard !stopped else { return }
        stopped = true
        warnings.append("c2pa: \(warning)")
    }
}
