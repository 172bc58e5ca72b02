import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace geecachepb. */
export namespace geecachepb {

    /**
     * Properties of a Request.
     * @deprecated Use geecachepb.Request.$Properties instead.
     */
    interface IRequest extends geecachepb.Request.$Properties {
    }

    /** Represents a Request. */
    class Request {

        /**
         * Constructs a new Request.
         * @param [properties] Properties to set
         */
        constructor(properties?: geecachepb.Request.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Request group. */
        group: string;

        /** Request key. */
        key: string;

        /**
         * Creates a new Request instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Request instance
         */
        static create(properties: geecachepb.Request.$Shape): geecachepb.Request & geecachepb.Request.$Shape;
        static create(properties?: geecachepb.Request.$Properties): geecachepb.Request;

        /**
         * Encodes the specified Request message. Does not implicitly {@link geecachepb.Request.verify|verify} messages.
         * @param message Request message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: geecachepb.Request.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Request message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {geecachepb.Request & geecachepb.Request.$Shape} Request
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): geecachepb.Request & geecachepb.Request.$Shape;
    }

    namespace Request {

        /** Properties of a Request. */
        interface $Properties {

            /** Request group */
            group?: (string|null);

            /** Request key */
            key?: (string|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Request. */
        type $Shape = geecachepb.Request.$Properties;
    }

    /**
     * Properties of a Response.
     * @deprecated Use geecachepb.Response.$Properties instead.
     */
    interface IResponse extends geecachepb.Response.$Properties {
    }

    /** Represents a Response. */
    class Response {

        /**
         * Constructs a new Response.
         * @param [properties] Properties to set
         */
        constructor(properties?: geecachepb.Response.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Response value. */
        value: Uint8Array;

        /**
         * Creates a new Response instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Response instance
         */
        static create(properties: geecachepb.Response.$Shape): geecachepb.Response & geecachepb.Response.$Shape;
        static create(properties?: geecachepb.Response.$Properties): geecachepb.Response;

        /**
         * Encodes the specified Response message. Does not implicitly {@link geecachepb.Response.verify|verify} messages.
         * @param message Response message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: geecachepb.Response.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Response message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {geecachepb.Response & geecachepb.Response.$Shape} Response
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): geecachepb.Response & geecachepb.Response.$Shape;
    }

    namespace Response {

        /** Properties of a Response. */
        interface $Properties {

            /** Response value */
            value?: (Uint8Array|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Response. */
        type $Shape = geecachepb.Response.$Properties;
    }
}
