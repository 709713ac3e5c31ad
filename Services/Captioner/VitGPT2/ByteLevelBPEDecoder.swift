import Foundation

/// Turns GPT-2 token ids back into text: each id's vocabulary entry is a string over GPT-2's byte alphabet (every
/// byte mapped to a printable character), so decoding concatenates the entries, maps the characters back to
/// bytes and reads the bytes as UTF-8, replacing invalid sequences with U+FFFD as `bytes.decode(errors="replace")`.
///
/// Special tokens (those named in `tokenizer_config.json`, `special_tokens_map.json` or marked special among the
/// added tokens, plus the model's start, end and pad ids) are skipped, as `decode(skip_special_tokens=True)`.
/// Tokenization spaces are not cleaned up, which is transformers' default for byte-level BPE.
public struct ByteLevelBPEDecoder: Sendable {
    private let tokens: [Int: String]
    private let specialIDs: Set<Int>
    private let byteForCharacter: [Unicode.Scalar: UInt8]

    /// Reads `vocab.json` and the optional tokenizer configuration files from `directory`; `specialIDs` are
    /// skipped in addition to the special tokens those files name.
    public init(directory: URL, specialIDs: Set<Int> = []) throws {
        let vocabularyURL = directory.appendingPathComponent("vocab.json")
        let vocabulary = try JSONObject(contentsOf: vocabularyURL)
        var tokens: [Int: String] = [:]
        for (token, value) in vocabulary.members {
            guard case .number(let id) = value, id >= 0, id == id.rounded() else {
                throw VitGPT2Error(.malformedFile, "\(vocabularyURL.path): token '\(token)' has no integer id")
            }
            tokens[Int(id)] = token
        }

        var special = specialIDs
        var specialTexts: Set<String> = []
        for name in ["tokenizer_config.json", "special_tokens_map.json"] {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let config = try JSONObject(contentsOf: url)
            for key in ["bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token"] {
                if let text = Self.tokenText(config.members[key]) { specialTexts.insert(text) }
            }
            if case .object(let added)? = config.members["added_tokens_decoder"] {
                for (id, entry) in added {
                    guard let id = Int(id), case .object(let fields) = entry else { continue }
                    if case .bool(true)? = fields["special"] { special.insert(id) }
                    if let text = Self.tokenText(entry) { tokens[id] = tokens[id] ?? text }
                }
            }
        }
        let idForText = Dictionary(tokens.map { ($0.value, $0.key) }, uniquingKeysWith: min)
        special.formUnion(specialTexts.compactMap { idForText[$0] })

        self.tokens = tokens
        self.specialIDs = special
        byteForCharacter = Dictionary(
            uniqueKeysWithValues: Self.byteAlphabet().enumerated().map {
                ($0.element, UInt8($0.offset))
            })
    }

    /// The text of `ids`, special tokens skipped; unknown ids are skipped too.
    public func decode(_ ids: [Int]) -> String {
        var bytes: [UInt8] = []
        for id in ids where !specialIDs.contains(id) {
            guard let token = tokens[id] else { continue }
            for scalar in token.unicodeScalars {
                if let byte = byteForCharacter[scalar] {
                    bytes.append(byte)
                } else {
                    bytes.append(contentsOf: Array(String(scalar).utf8))
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `id` is skipped as a special token.
    public func isSpecial(_ id: Int) -> Bool { specialIDs.contains(id) }

    /// A special-token entry: a plain string or an object with `content`.
    private static func tokenText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .object(let fields)?:
            if case .string(let text)? = fields["content"] { return text }
            return nil
        default: return nil
        }
    }

    /// GPT-2's byte alphabet: `alphabet[b]` is the character that stands for byte `b`. Printable Latin-1 bytes
    /// stand for themselves; the others map to U+0100 onwards, in byte order.
    static func byteAlphabet() -> [Unicode.Scalar] {
        let printable = Set(Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF))
        var next: UInt32 = 0x100
        return (0...255).map { byte in
            if printable.contains(byte) { return Unicode.Scalar(UInt8(byte)) }
            defer { next += 1 }
            return Unicode.Scalar(next)!
        }
    }
}
