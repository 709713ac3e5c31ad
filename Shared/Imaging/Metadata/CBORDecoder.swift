/// One decoded CBOR (RFC 8949) data item, as far as the C2PA reader needs it. Tags are dropped and
/// their content kept; floats become `Double`; simple values other than false, true and null are `.simple`.
indirect enum CBORValue: Equatable, Sendable {
    case unsigned(UInt64)
    /// A negative integer `-1 - n`, kept as `n` so that the full range fits.
    case negative(UInt64)
    case bytes([UInt8])
    case text(String)
    case array([CBORValue])
    /// Map entries in encoded order; duplicate keys are kept.
    case map([(CBORValue, CBORValue)])
    case bool(Bool)
    case null
    case undefined
    case simple(UInt8)
    case double(Double)

    static func == (lhs: CBORValue, rhs: CBORValue) -> Bool {
        switch (lhs, rhs) {
        case (.unsigned(let left), .unsigned(let right)), (.negative(let left), .negative(let right)):
            return left == right
        case (.bytes(let left), .bytes(let right)): return left == right
        case (.text(let left), .text(let right)): return left == right
        case (.array(let left), .array(let right)): return left == right
        case (.map(let left), .map(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.bool(let left), .bool(let right)): return left == right
        case (.null, .null), (.undefined, .undefined): return true
        case (.simple(let left), .simple(let right)): return left == right
        case (.double(let left), .double(let right)): return left == right || (left.isNaN && right.isNaN)
        default: return false
        }
    }

    /// The value under the text key `key` when this is a map.
    subscript(key: String) -> CBORValue? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.0 == .text(key) }?.1
    }

    /// The text when this is a text string.
    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The elements when this is an array.
    var elements: [CBORValue]? {
        if case .array(let values) = self { return values }
        return nil
    }
}

/// Why a CBOR item could not be decoded.
enum CBORDecodingError: Error, Equatable {
    /// The data ends inside an item.
    case truncated
    /// Bytes that no well-formed CBOR has (a reserved additional-information value, a stray break, a
    /// chunk of the wrong type inside an indefinite-length string, text that is not UTF-8).
    case malformed
    /// Nesting deeper, more items or longer strings than the limits allow.
    case overLimit
}

/// Decodes one CBOR data item from bytes, with caps on nesting depth, total item count and string size,
/// so that hostile lengths (a string of 2^63 bytes, endless indefinite-length containers) end in an
/// error instead of a trap or an unbounded allocation.
struct CBORDecoder {
    /// Most levels of arrays, maps, tags and indefinite-length strings.
    var maxDepth = MetadataLimits.maxCBORDepth
    /// Most data items (including map keys and string chunks) in one decode.
    var maxItems = MetadataLimits.maxCBORItems
    /// Most bytes in one byte or text string, chunks of an indefinite-length string together.
    var maxStringBytes = MetadataLimits.maxCBORStringBytes

    private let bytes: [UInt8]
    private var position = 0
    private var items = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The first data item of `bytes`; trailing bytes are ignored.
    static func decode(_ bytes: [UInt8]) throws(CBORDecodingError) -> CBORValue {
        var decoder = CBORDecoder(bytes)
        return try decoder.item(depth: 0)
    }

    /// The next item; a break code (0xFF) is an error here.
    mutating func item(depth: Int) throws(CBORDecodingError) -> CBORValue {
        guard let value = try itemOrBreak(depth: depth) else { throw .malformed }
        return value
    }

    private mutating func itemOrBreak(depth: Int) throws(CBORDecodingError) -> CBORValue? {
        guard depth <= maxDepth else { throw .overLimit }
        items += 1
        guard items <= maxItems else { throw .overLimit }

        let initial = try byte()
        let major = initial >> 5
        let info = initial & 0x1F
        if initial == 0xFF { return nil }
        if info == 31 {
            return try indefinite(major: major, depth: depth)
        }
        let argument = try self.argument(info)

        switch major {
        case 0: return .unsigned(argument)
        case 1: return .negative(argument)
        case 2: return .bytes(try take(argument))
        case 3:
            guard let text = String(validating: try take(argument), as: UTF8.self) else { throw .malformed }
            return .text(text)
        case 4:
            var values: [CBORValue] = []
            for _ in 0..<(try count(argument)) { values.append(try item(depth: depth + 1)) }
            return .array(values)
        case 5:
            var entries: [(CBORValue, CBORValue)] = []
            for _ in 0..<(try count(argument)) {
                let key = try item(depth: depth + 1)
                entries.append((key, try item(depth: depth + 1)))
            }
            return .map(entries)
        case 6:
            return try item(depth: depth + 1)
        default:
            return simple(info: info, argument: argument)
        }
    }

    private mutating func indefinite(major: UInt8, depth: Int) throws(CBORDecodingError) -> CBORValue {
        switch major {
        case 2, 3:
            var joined: [UInt8] = []
            while let chunk = try itemOrBreak(depth: depth + 1) {
                switch (major, chunk) {
                case (2, .bytes(let part)): joined += part
                case (3, .text(let part)): joined += Array(part.utf8)
                default: throw .malformed
                }
                guard joined.count <= maxStringBytes else { throw .overLimit }
            }
            if major == 2 { return .bytes(joined) }
            guard let text = String(validating: joined, as: UTF8.self) else { throw .malformed }
            return .text(text)
        case 4:
            var values: [CBORValue] = []
            while let value = try itemOrBreak(depth: depth + 1) { values.append(value) }
            return .array(values)
        case 5:
            var entries: [(CBORValue, CBORValue)] = []
            while let key = try itemOrBreak(depth: depth + 1) {
                entries.append((key, try item(depth: depth + 1)))
            }
            return .map(entries)
        default:
            throw .malformed
        }
    }

    private func simple(info: UInt8, argument: UInt64) -> CBORValue {
        switch info {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        case 23: return .undefined
        case 25: return .double(Double(halfPrecision(UInt16(truncatingIfNeeded: argument))))
        case 26: return .double(Double(Float(bitPattern: UInt32(truncatingIfNeeded: argument))))
        case 27: return .double(Double(bitPattern: argument))
        default: return .simple(UInt8(truncatingIfNeeded: argument))
        }
    }

    private mutating func argument(_ info: UInt8) throws(CBORDecodingError) -> UInt64 {
        switch info {
        case 0..<24: return UInt64(info)
        case 24: return try bigEndian(1)
        case 25: return try bigEndian(2)
        case 26: return try bigEndian(4)
        case 27: return try bigEndian(8)
        default: throw .malformed
        }
    }

    /// An array or map length, which can never exceed the bytes left (every element takes at least one).
    private func count(_ argument: UInt64) throws(CBORDecodingError) -> Int {
        guard argument <= UInt64(bytes.count - position) else { throw .truncated }
        guard argument <= UInt64(maxItems) else { throw .overLimit }
        return Int(argument)
    }

    private mutating func take(_ length: UInt64) throws(CBORDecodingError) -> [UInt8] {
        guard length <= UInt64(maxStringBytes) else { throw .overLimit }
        guard length <= UInt64(bytes.count - position) else { throw .truncated }
        let end = position + Int(length)
        defer { position = end }
        return Array(bytes[position..<end])
    }

    private mutating func bigEndian(_ width: Int) throws(CBORDecodingError) -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<width { value = value << 8 | UInt64(try byte()) }
        return value
    }

    private mutating func byte() throws(CBORDecodingError) -> UInt8 {
        guard position < bytes.count else { throw .truncated }
        defer { position += 1 }
        return bytes[position]
    }
}

/// An IEEE 754 half-precision value converted by hand, since `Float16` is not available on every platform.
private func halfPrecision(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 == 0 ? 1 : -1
    let exponent = Int((bits >> 10) & 0x1F)
    let fraction = Float(bits & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * Float(sign: .plus, exponent: -24, significand: 1)
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}
