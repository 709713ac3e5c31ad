/// Reassembles the JUMBF boxes that JPEG XT (ISO/IEC 18477-3) splits over APP11 segments. Each segment
/// holds the common identifier `JP`, a box instance number (u16), a packet sequence number (u32, from 1)
/// and then the box: the first packet carries LBox, TBox (and XLBox) and the start of the payload; every
/// later packet repeats that header and carries the next part of the payload.
struct JPEGXTAssembler {
    private var packets: [UInt16: [UInt32: [UInt8]]] = [:]
    /// Box instances in the order their first packet appeared, and whether any packet looked like C2PA.
    private var instances: [(number: UInt16, isC2PA: Bool)] = []
    private var totalBytes = 0
    private var overLimit = false

    /// Keeps one APP11 segment (the bytes after the segment length); segments without the `JP`
    /// identifier, repeated packets and packets past the size cap are ignored.
    mutating func add(_ segment: [UInt8], isC2PA: Bool) {
        let data = MetadataBytes(segment)
        guard data.matches(Array("JP".utf8), at: 0), let instance = data.u16(2, bigEndian: true),
            let sequence = data.u32(4, bigEndian: true), segment.count > 8, !overLimit
        else { return }
        totalBytes += segment.count - 8
        let packetCount = packets.values.reduce(0) { $0 + $1.count }
        guard totalBytes <= MetadataLimits.maxC2PABytes, packetCount < MetadataLimits.maxC2PAPackets else {
            overLimit = true
            packets = [:]
            return
        }
        if let index = instances.firstIndex(where: { $0.number == instance }) {
            instances[index].isC2PA = instances[index].isC2PA || isC2PA
        } else {
            instances.append((instance, isC2PA))
        }
        if packets[instance, default: [:]][sequence] == nil {
            packets[instance, default: [:]][sequence] = Array(segment.dropFirst(8))
        }
    }

    /// The reassembled box of the first instance that looks like a C2PA manifest store, or nil (with a
    /// warning when packets were over the cap or missing).
    func c2paStore(warnings: inout [String]) -> [UInt8]? {
        if overLimit {
            warnings.append("jpeg: APP11 JUMBF data over \(MetadataLimits.maxC2PABytes) bytes; C2PA not parsed")
            return nil
        }
        guard let instance = instances.first(where: \.isC2PA)?.number, let parts = packets[instance] else {
            return nil
        }
        var box: [UInt8] = []
        for sequence in 1...UInt32(parts.count) {
            guard let part = parts[sequence] else {
                warnings.append("jpeg: APP11 JUMBF box \(instance) lacks packet \(sequence); C2PA not parsed")
                return nil
            }
            box += sequence == 1 ? part : Array(part.dropFirst(headerSize(part)))
        }
        return box
    }

    /// The size of the LBox/TBox/XLBox header a packet repeats.
    private func headerSize(_ part: [UInt8]) -> Int {
        MetadataBytes(part).u32(0, bigEndian: true) == 1 ? 16 : 8
    }
}
