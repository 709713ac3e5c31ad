/// Pulls single properties out of XMP packets without a full XML parser.
///
/// A property is found in attribute form (`tiff:Make="Canon"`) or element form
/// (`<tiff:Make>Canon</tiff:Make>`, `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">…`,
/// `<Iptc4xmpExt:DigitalSourceType rdf:resource="…"/>`). The prefix is taken from the packet's own
/// `xmlns:` declarations for the property's namespace URI, with the conventional prefix as a fallback.
/// Every search moves forward through the packet, so malformed XML ends the search instead of looping.
enum XMPParser {
    /// XMP namespace URIs with their conventional prefixes.
    enum Namespace: String {
        case iptcExtension = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
        case tiff = "http://ns.adobe.com/tiff/1.0/"
        case exif = "http://ns.adobe.com/exif/1.0/"
        case dublinCore = "http://purl.org/dc/elements/1.1/"
        case xmp = "http://ns.adobe.com/xap/1.0/"

        var conventionalPrefix: String {
            switch self {
            case .iptcExtension: "Iptc4xmpExt"
            case .tiff: "tiff"
            case .exif: "exif"
            case .dublinCore: "dc"
            case .xmp: "xmp"
            }
        }
    }

    /// The properties imgrec uses, each the first value found across `packets`.
    static func properties(of packets: [String]) -> XMPProperties {
        var properties = XMPProperties()
        for packet in packets {
            let xml = Array(packet.utf8)
            let prefixes = declaredPrefixes(in: xml)
            func first(_ namespace: Namespace, _ name: String) -> String? {
                values(in: xml, namespace: namespace, name: name, declared: prefixes).first
            }
            properties.digitalSourceType =
                properties.digitalSourceType
                ?? first(.iptcExtension, "DigitalSourceType")
            properties.make = properties.make ?? first(.tiff, "Make")
            properties.model = properties.model ?? first(.tiff, "Model")
            properties.dateTimeOriginal = properties.dateTimeOriginal ?? first(.exif, "DateTimeOriginal")
            properties.exposureTime = properties.exposureTime ?? first(.exif, "ExposureTime")
            properties.fNumber = properties.fNumber ?? first(.exif, "FNumber")
            properties.description = properties.description ?? first(.dublinCore, "description")
            properties.creatorTool = properties.creatorTool ?? first(.xmp, "CreatorTool")
        }
        return properties
    }

    /// All non-empty values of `name` in `namespace`, in the order found (elements, then attributes).
    static func values(
        in xml: [UInt8], namespace: Namespace, name: String,
        declared: [String: [String]]? = nil
    ) -> [String] {
        let declared = declared ?? declaredPrefixes(in: xml)
        var prefixes = declared[namespace.rawValue] ?? []
        if !prefixes.contains(namespace.conventionalPrefix) { prefixes.append(namespace.conventionalPrefix) }

        var found: [String] = []
        for prefix in prefixes {
            let qualified = "\(prefix):\(name)"
            found += elementValues(in: xml, qualifiedName: qualified)
            found += attributeValues(in: xml, qualifiedName: qualified)
        }
        return found.compactMap { $0.metadataTrimmed }
    }

    /// Namespace URI → the prefixes bound to it by `xmlns:prefix="uri"` declarations.
    static func declaredPrefixes(in xml: [UInt8]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        let marker = Array("xmlns:".utf8)
        var position = 0
        while let start = xml.metadataIndex(of: marker, from: position) {
            position = start + marker.count
            guard start == 0 || isSpace(xml[start - 1]),
                let equals = xml[position...].firstIndex(of: UInt8(ascii: "="))
            else { continue }
            let prefix = Array(xml[position..<equals]).metadataText
            guard !prefix.isEmpty, prefix.utf8.allSatisfy(isNameByte),
                let (uri, end) = quoted(in: xml, at: equals + 1)
            else { continue }
            result[uri, default: []].append(prefix)
            position = end
        }
        return result
    }

    private static func elementValues(in xml: [UInt8], qualifiedName: String) -> [String] {
        let open = Array("<\(qualifiedName)".utf8)
        let close = Array("</\(qualifiedName)".utf8)
        var values: [String] = []
        var position = 0
        while let start = xml.metadataIndex(of: open, from: position) {
            let afterName = start + open.count
            position = afterName
            guard afterName < xml.count,
                isSpace(xml[afterName]) || xml[afterName] == UInt8(ascii: ">")
                    || xml[afterName] == UInt8(ascii: "/"),
                let tagEnd = endOfTag(in: xml, from: afterName)
            else { continue }
            let startTag = Array(xml[start...tagEnd])
            if let resource = attributeValues(in: startTag, qualifiedName: "rdf:resource").first {
                values.append(resource)
            }
            position = tagEnd + 1
            if xml[tagEnd - 1] == UInt8(ascii: "/") { continue }

            guard let closeStart = xml.metadataIndex(of: close, from: tagEnd + 1) else { break }
            values.append(contentValue(Array(xml[(tagEnd + 1)..<closeStart])))
            position = closeStart + close.count
        }
        return values
    }

    /// The value of an element's content: the `x-default` (else first) `rdf:li` of a container, or the
    /// text with any markup removed.
    private static func contentValue(_ content: [UInt8]) -> String {
        let itemOpen = Array("<rdf:li".utf8)
        let itemClose = Array("</rdf:li".utf8)
        var items: [(isDefault: Bool, text: String)] = []
        var position = 0
        while let start = content.metadataIndex(of: itemOpen, from: position),
            let tagEnd = endOfTag(in: content, from: start + itemOpen.count)
        {
            position = tagEnd + 1
            if content[tagEnd - 1] == UInt8(ascii: "/") { continue }
            guard let closeStart = content.metadataIndex(of: itemClose, from: tagEnd + 1) else { break }
            let startTag = Array(content[start...tagEnd]).metadataText
            let text = plainText(Array(content[(tagEnd + 1)..<closeStart]))
            items.append((startTag.contains("x-default"), text))
            position = closeStart + itemClose.count
        }
        if let item = items.first(where: { $0.isDefault }) ?? items.first { return item.text }
        return plainText(content)
    }

    private static func attributeValues(in xml: [UInt8], qualifiedName: String) -> [String] {
        let needle = Array("\(qualifiedName)".utf8)
        var values: [String] = []
        var position = 0
        while let start = xml.metadataIndex(of: needle, from: position) {
            position = start + needle.count
            guard start > 0, isSpace(xml[start - 1]) else { continue }
            var index = position
            while index < xml.count, isSpace(xml[index]) { index += 1 }
            guard index < xml.count, xml[index] == UInt8(ascii: "="),
                let (value, end) = quoted(in: xml, at: index + 1)
            else { continue }
            values.append(decodeEntities(value))
            position = end
        }
        return values
    }

    /// A quoted attribute value starting at (or after whitespace from) `index`, and the index after it.
    private static func quoted(in xml: [UInt8], at index: Int) -> (String, Int)? {
        var start = index
        while start < xml.count, isSpace(xml[start]) { start += 1 }
        guard start < xml.count, xml[start] == UInt8(ascii: "\"") || xml[start] == UInt8(ascii: "'"),
            let end = xml[(start + 1)...].firstIndex(of: xml[start])
        else { return nil }
        return (Array(xml[(start + 1)..<end]).metadataText, end + 1)
    }

    /// The index of the `>` that ends a tag, skipping quoted attribute values.
    private static func endOfTag(in xml: [UInt8], from index: Int) -> Int? {
        var quote: UInt8?
        var position = index
        while position < xml.count {
            let byte = xml[position]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return position
            }
            position += 1
        }
        return nil
    }

    private static func plainText(_ content: [UInt8]) -> String {
        var text: [UInt8] = []
        var inTag = false
        for byte in content {
            if byte == UInt8(ascii: "<") {
                inTag = true
            } else if byte == UInt8(ascii: ">") {
                inTag = false
            } else if !inTag {
                text.append(byte)
            }
        }
        return decodeEntities(text.metadataText)
    }

    /// Replaces the five predefined XML entities and numeric character references.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let afterAmpersand = rest.index(after: ampersand)
            guard let semicolon = rest[afterAmpersand...].prefix(12).firstIndex(of: ";") else {
                result += "&"
                rest = rest[afterAmpersand...]
                continue
            }
            let entity = rest[afterAmpersand..<semicolon]
            if let replacement = entityValue(entity) {
                result += replacement
            } else {
                result += rest[ampersand...semicolon]
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }

    private static func entityValue(_ entity: Substring) -> String? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard entity.hasPrefix("#") else { return nil }
            let digits = entity.dropFirst()
            let value =
                digits.hasPrefix("x") || digits.hasPrefix("X")
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
