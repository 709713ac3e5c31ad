/// Generation parameters that the Stable Diffusion web UI (AUTOMATIC1111 and its forks) hid in the
/// least-significant bits of an image's pixels instead of a text chunk ("stealth pnginfo").
///
/// The bits are read column by column (all rows of column 0, then column 1, ...): one bit a pixel from
/// alpha, or three from red, green and blue. The stream is a 15-character signature that names the
/// channel and whether the payload is gzip-compressed, a 32-bit big-endian count of payload bits, then
/// the payload: UTF-8 text in the web UI's `parameters` layout.
public struct StealthParameters: Sendable, Equatable {
    /// Where the bits are.
    public enum Channel: String, Sendable, Equatable, CaseIterable {
        /// The low bit of each pixel's alpha sample.
        case alpha
        /// The low bits of each pixel's red, green and blue samples, in that order.
        case rgb
    }

    /// The channel the stream was read from.
    public var channel: Channel
    /// Whether the payload was gzip-compressed (signatures ending in `comp`).
    public var isCompressed: Bool
    /// The signature at the start of the stream, such as `stealth_pngcomp`.
    public var signature: String
    /// The payload text: a prompt, a `Negative prompt:` line and a settings line.
    public var text: String

    /// Creates a value.
    public init(channel: Channel, isCompressed: Bool, signature: String, text: String) {
        self.channel = channel
        self.isCompressed = isCompressed
        self.signature = signature
        self.text = text
    }

    /// The name of the source, such as `stealth_pnginfo:alpha` or `stealth_pnginfo:rgb_compressed`.
    public var source: String {
        "stealth_pnginfo:\(channel.rawValue)\(isCompressed ? "_compressed" : "")"
    }
}
