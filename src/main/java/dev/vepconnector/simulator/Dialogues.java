package dev.vepconnector.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scripted conversations of the realistic contact center, by case type. Each dialogue has an opening
 * (the visitor's question and the agent's first answers), a resolution and an unresolved ending; each
 * case type has a hand-over to another group, the greeting of the agent who takes a transferred
 * conversation, and the return of a visitor whose case is opened again. Chat lines alternate between
 * visitor and agent across every combination: an opening ends with the visitor, and everything that
 * follows it starts with the agent. All names, numbers and addresses are made up; the one card number
 * is the well-known Visa test number, there to show the connector's card redaction.
 *
 * <p>A line is {@code V: text} (the visitor), {@code A: text} (the agent), {@code N: text} (an agent's
 * note on the case, seen by no visitor), {@code L: title | url} (a link the agent sends),
 * {@code U: url} (a page the agent co-browses to) or {@code VIDEO start|stop}. Placeholders in braces
 * are filled per case: {visitor}, {agent}, {group}, {order}, {invoice}, {amount}, {day}, {product}, {card}.
 */
final class Dialogues {

    enum Kind { VISITOR, AGENT, NOTE, LINK, NAVIGATION, VIDEO }

    record Line(Kind kind, String text) {
        boolean isChat() {
            return kind == Kind.VISITOR || kind == Kind.AGENT;
        }
    }

    record Dialogue(String title, String closure, List<Line> opening, List<Line> resolution, List<Line> unresolved) {
    }

    /** A case type's conversations. */
    record Topic(String caseType, List<Dialogue> dialogues, List<Line> handOver, List<Line> takeOver, List<Line> comeBack) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

    /** The group each case type is answered in, in the order of the simulator's group names. */
    static final Map<String, Topic> BY_GROUP = new LinkedHashMap<>();

    static {
        BY_GROUP.put("Billing", topic("Invoices",
                List.of(
                        dialogue("Invoice amount", "Sent a corrected invoice",
                                lines("V: Hi, my invoice {invoice} shows {amount} but I was promised a discount",
                                        "A: Hi {visitor}, I'm sorry about that. Let me check the invoice for you",
                                        "V: Thanks, I'll wait",
                                        "N: Campaign price not applied on {invoice}",
                                        "A: I can see the campaign price was not applied. The right amount is 20% less",
                                        "V: Great, can you fix it?"),
                                lines("A: Yes, I've credited the difference and you'll get a corrected invoice by e-mail today",
                                        "V: Perfect, thank you!",
                                        "A: You're welcome, have a nice day"),
                                lines("A: I need an approval from our finance team for the credit. They answer within a day",
                                        "V: OK, I'll check back tomorrow then")),
                        dialogue("Payment reminder", "Reminder cancelled, payment found",
                                lines("V: I got a payment reminder for {invoice}, but I paid it on {day}",
                                        "A: Hi {visitor}, let me look that up. Do you have the payment date and bank?",
                                        "V: I paid on {day} from my bank app, {amount}"),
                                lines("A: Found it: the payment came with the wrong reference. I've matched it to the invoice",
                                        "V: So I can ignore the reminder?",
                                        "A: Yes, the reminder is cancelled and no fee will be charged"),
                                lines("A: I can't find the payment yet. Could you send us the receipt from your bank?",
                                        "V: I'll get it and come back")),
                        dialogue("Invoice copy", "Sent a copy of the invoice",
                                lines("V: Hello, I can't find last month's invoice. Can I get a copy?",
                                        "A: Of course, {visitor}. Is it the one for {amount}, invoice {invoice}?",
                                        "V: Yes, that's the one"),
                                lines("L: Your invoices | https://shop.example/account/invoices",
                                        "A: I've e-mailed you a copy. You'll also find all invoices under Your invoices",
                                        "V: Got it, thanks!"),
                                lines("A: Our invoice archive is down for maintenance right now. Can I send it tomorrow?",
                                        "V: Sure, tomorrow works")),
                        dialogue("Card payment", "Sent a payment link for the invoice",
                                lines("V: Can I pay invoice {invoice} by card here in the chat? My card is {card}",
                                        "A: Please never share card numbers in the chat, {visitor}. I'll send you a secure payment link instead",
                                        "N: Visitor posted a card number in the chat; told them not to",
                                        "V: Oh, sorry. A link is fine"),
                                lines("L: Pay invoice | https://shop.example/pay",
                                        "A: Here it is. The invoice is marked as paid as soon as the payment goes through",
                                        "V: Done, it says paid. Thanks"),
                                lines("A: The payment link service is down at the moment. Please try again in an hour",
                                        "V: OK, I'll try later"))),
                lines("A: That is something our {group} team handles. I'm transferring you now, one moment",
                        "N: Transferring to {group}: invoice {invoice}, {amount}",
                        "V: OK, thanks"),
                lines("A: Hi {visitor}, this is {agent} in {group}. I've read your conversation about invoice {invoice}",
                        "V: Great, so you can help me?"),
                lines("V: Hi again, it's about invoice {invoice} that we talked about",
                        "A: Welcome back {visitor}, I have our earlier conversation here. What did you find?",
                        "V: I have the details now")));

        BY_GROUP.put("Orders", topic("Orders",
                List.of(
                        dialogue("Delivery address", "Changed the delivery address",
                                lines("V: Hi, I need to change the delivery address of my order",
                                        "A: Of course, {visitor}. Which order number is it?",
                                        "V: It's {order}",
                                        "A: Thanks. It hasn't left the warehouse yet. What is the new address?",
                                        "V: Storgatan 12, 111 22 Exempelstad"),
                                lines("A: Done, the order now goes to Storgatan 12. Delivery is still planned for {day}",
                                        "V: Perfect, thank you!",
                                        "A: You're welcome. Anything else I can help with?",
                                        "V: No, that was all"),
                                lines("A: The parcel is already with the carrier, so I can't change it from here. I've asked them to hold it",
                                        "V: OK, please let me know what they say")),
                        dialogue("Where is my order", "Gave the visitor the delivery date",
                                lines("V: Where is my order {order}? It was supposed to arrive yesterday",
                                        "A: Hi {visitor}, I'm sorry it's late. Let me check the tracking",
                                        "U: https://shop.example/account/orders",
                                        "V: Thanks, I can see the order page you opened",
                                        "A: It was delayed at the carrier's terminal. It's out for delivery again",
                                        "V: When will it arrive?"),
                                lines("A: The carrier says {day} before 18:00. You'll get a text an hour before",
                                        "V: Good, I'll be home then. Thanks"),
                                lines("A: The carrier hasn't given a new date yet. I've opened an inquiry with them",
                                        "V: Please hurry, it's a birthday present")),
                        dialogue("Add to order", "Added an item to the order",
                                lines("V: Can I still add a {product} to order {order}?",
                                        "A: Let me look, {visitor}. The order is packed tonight, so yes, if we're quick",
                                        "V: Great, one {product} please"),
                                lines("A: Added. Your total went up by {amount} and it all arrives together on {day}",
                                        "V: Wonderful, thank you"),
                                lines("A: The {product} is out of stock in our warehouse, so I can't add it right now",
                                        "V: Oh. Tell me when it's back?"))),
                lines("A: I'll transfer you to {group}, they can help you with that. One moment",
                        "N: Transferring to {group}: order {order}",
                        "V: OK"),
                lines("A: Hello {visitor}, {agent} from {group} here. I can see your order {order}",
                        "V: Hi, thanks for taking over"),
                lines("V: Hi again, it's about order {order}",
                        "A: Welcome back {visitor}. I can see our earlier conversation. Any news?",
                        "V: Yes, I have what you needed now")));

        BY_GROUP.put("Technical support", topic("Technical issues",
                List.of(
                        dialogue("No internet connection", "Router restarted, connection back",
                                lines("V: My internet has been down since this morning",
                                        "A: Hi {visitor}, sorry to hear that. Which lights are on on your router?",
                                        "V: The power light is green, the internet light blinks orange",
                                        "A: Please unplug the router, wait 30 seconds and plug it in again",
                                        "V: OK, doing it now... it's starting up"),
                                lines("A: Is the internet light green now?",
                                        "V: Yes! It works again",
                                        "A: Great. If it happens again, tell us and we'll check the line",
                                        "V: Will do, thanks"),
                                lines("A: Still orange? Then it is the line. I've booked a technician for {day}",
                                        "V: OK, I'll be home on {day}")),
                        dialogue("App crash", "Explained the app update",
                                lines("V: The app crashes when I open my account page",
                                        "A: Which version of the app are you using, {visitor}?",
                                        "V: Version 5.2 on Android"),
                                lines("A: A fix is in version 5.3, out today. Please update the app and try again",
                                        "V: Updated, the account page opens now. Thanks!"),
                                lines("A: We're still investigating the crash. I've added your phone model to the report",
                                        "V: Please let me know when it's fixed")),
                        dialogue("Wi-Fi setup", "Helped set up the Wi-Fi over video",
                                lines("V: I can't connect my new laptop to the Wi-Fi",
                                        "A: Hi {visitor}! Shall we take a quick video call so I can see the screen?",
                                        "VIDEO start",
                                        "V: Sure, I can see you now. Here is the Wi-Fi list",
                                        "A: Pick the network ending in 5G and enter the key printed under the router",
                                        "V: It says connected"),
                                lines("A: Perfect, you're online. I'll end the video call now",
                                        "VIDEO stop",
                                        "V: Thanks for the help!"),
                                lines("A: The key is rejected, so the router needs a reset. I'll send a guide and end the call",
                                        "VIDEO stop",
                                        "V: OK, I'll try the guide tonight"))),
                lines("A: This needs our {group} team, I'm transferring you now",
                        "N: Transferring to {group}: basic troubleshooting done",
                        "V: Alright"),
                lines("A: Hi {visitor}, {agent} in {group}. I've read what you tried so far",
                        "V: Good, I hope you can sort it out"),
                lines("V: Hi, I'm back about the connection problem",
                        "A: Welcome back {visitor}, I have your earlier conversation. Did you try the guide?",
                        "V: Yes, and I have the details you asked for")));

        BY_GROUP.put("Returns", topic("Returns",
                List.of(
                        dialogue("Return a jumper", "Sent a return label",
                                lines("V: Hi, I'd like to return the jumper from order {order}, it's too small",
                                        "A: Of course, {visitor}. Would you like a refund or another size?",
                                        "V: A refund, please"),
                                lines("L: How returns work | https://shop.example/help/returns",
                                        "A: I've sent a return label by e-mail. The refund of {amount} comes within 5 days of us receiving it",
                                        "V: Thanks, I'll post it tomorrow"),
                                lines("A: Order {order} is older than 30 days, so I need my manager's OK for the return",
                                        "V: OK, I'll wait to hear from you")),
                        dialogue("Byta storlek", "Bytte storlek på tröjan",
                                lines("V: Hej! Kan jag byta storlek på tröjan jag köpte?",
                                        "A: Absolut, {visitor}! Vilken storlek vill du ha istället?",
                                        "V: Medium, tack"),
                                lines("A: Klart! Du får ett mejl med returetiketten, och nya tröjan skickas på {day}",
                                        "V: Toppen, tack så mycket 😊"),
                                lines("A: Medium är tyvärr slut just nu. Jag hör av mig när den är tillbaka",
                                        "V: Okej, tack")),
                        dialogue("Damaged item", "Replacement sent for a damaged item",
                                lines("V: The {product} I got today is broken",
                                        "A: I'm so sorry, {visitor}. Could you send a photo of the damage?",
                                        "V: I've uploaded it to the order page"),
                                lines("U: https://shop.example/account/orders",
                                        "A: I can see it, that's clearly transport damage. A new {product} goes out on {day}, no need to return the old one",
                                        "V: That's great service, thank you!"),
                                lines("A: The photo didn't come through. Could you try uploading it again later?",
                                        "V: OK, I'll try again tonight"))),
                lines("A: {group} handles that part, I'll transfer you. Just a moment",
                        "N: Transferring to {group}: return of order {order}",
                        "V: Thank you"),
                lines("A: Hi {visitor}, {agent} from {group}. I've read about your return",
                        "V: Hi, great"),
                lines("V: Hi again, about my return of order {order}",
                        "A: Welcome back {visitor}! I have the earlier conversation here. How did it go?",
                        "V: I have everything you asked for now")));

        BY_GROUP.put("Sales", topic("Product questions",
                List.of(
                        dialogue("Which size", "Recommended a size",
                                lines("V: Hi, is the {product} true to size?",
                                        "A: Hi {visitor}! It's a slim fit, most people take one size up",
                                        "V: Then I'll take a large. Is it in stock?"),
                                lines("A: Yes, large is in stock and ships today",
                                        "L: Size guide | https://shop.example/help/sizes",
                                        "V: Ordered, thanks!"),
                                lines("A: Large comes back in stock next week. Shall I e-mail you when it does?",
                                        "V: Yes please")),
                        dialogue("Shipping abroad", "Explained delivery to Åland",
                                lines("V: Do you ship to Åland?",
                                        "A: Yes, {visitor}, delivery to Åland takes 3-5 working days",
                                        "V: Are there any customs fees?"),
                                lines("A: There may be VAT on arrival, we show it in the checkout before you pay",
                                        "V: Perfect, thanks"),
                                lines("A: I'm not sure about the fees, I'll ask our logistics team and e-mail you",
                                        "V: OK, thank you"))),
                lines("A: Let me transfer you to {group}, they know this best",
                        "N: Transferring to {group}: product question about the {product}",
                        "V: OK"),
                lines("A: Hi {visitor}, {agent} in {group} here. I've read your question",
                        "V: Great, thanks"),
                lines("V: Hi, I asked about the {product} earlier",
                        "A: Welcome back {visitor}! I can see our earlier chat",
                        "V: I've decided now")));

        BY_GROUP.put("Premium", topic("Complaints",
                List.of(
                        dialogue("Late delivery complaint", "Apologised and refunded the shipping",
                                lines("V: This is the third time my delivery is late. I'm not happy",
                                        "A: I understand, {visitor}, and I'm sorry. Let me look at your orders",
                                        "N: Premium customer, three late deliveries",
                                        "V: Order {order} was supposed to come on Monday"),
                                lines("A: I've refunded the shipping fee of {amount} and upgraded you to express delivery for free",
                                        "V: Thank you, that helps"),
                                lines("A: I've escalated it to our logistics manager, who will call you",
                                        "V: Fine, I'll wait for the call"))),
                lines("A: I'm transferring you to {group} so they can look into this properly",
                        "N: Transferring to {group}: complaint about order {order}",
                        "V: OK"),
                lines("A: Hi {visitor}, {agent} in {group}. I've read your complaint and I'm sorry",
                        "V: Thanks for taking it seriously"),
                lines("V: Hi, I'm back about my complaint",
                        "A: Welcome back {visitor}, I have the earlier conversation here",
                        "V: Did you hear anything?")));

        BY_GROUP.put("Delivery", topic("Deliveries",
                List.of(
                        dialogue("Pick-up point", "Changed the pick-up point",
                                lines("V: Can I pick up order {order} at another pick-up point?",
                                        "A: Yes, {visitor}, as long as it hasn't arrived. Which one would you like?",
                                        "V: The one at the train station"),
                                lines("A: Changed. The parcel will be at the train station on {day}",
                                        "V: Great, thanks"),
                                lines("A: The parcel is already at your old pick-up point, so it can't be moved now",
                                        "V: OK, I'll get it there then"))),
                lines("A: {group} can help you with that, I'll transfer you",
                        "N: Transferring to {group}: delivery of order {order}",
                        "V: OK"),
                lines("A: Hi {visitor}, this is {agent} in {group}",
                        "V: Hi!"),
                lines("V: Hi again, about the delivery of order {order}",
                        "A: Welcome back {visitor}",
                        "V: I have an update")));

        BY_GROUP.put("Accounts", topic("Account access",
                List.of(
                        dialogue("Password reset", "Sent a password reset link",
                                lines("V: I can't log in to my account",
                                        "A: Hi {visitor}, I can send you a reset link. Is your e-mail still the one on the account?",
                                        "V: Yes, it is"),
                                lines("A: Sent. The link works for 30 minutes",
                                        "V: Got it, I'm in again. Thanks!"),
                                lines("A: The e-mail bounced, so I need to verify your identity first. Please have your order number ready",
                                        "V: OK, I'll find it"))),
                lines("A: I'll transfer you to {group}, they handle accounts",
                        "N: Transferring to {group}: login problem",
                        "V: Thanks"),
                lines("A: Hi {visitor}, {agent} in {group} here",
                        "V: Hi"),
                lines("V: Hi again, I still can't log in",
                        "A: Welcome back {visitor}, I can see the earlier conversation",
                        "V: I have my order number now")));
    }

    private Dialogues() {
    }

    /** The topic of a group by its configured name ("Billing 2" is Billing's). */
    static Topic of(String groupName) {
        return BY_GROUP.entrySet().stream().filter(e -> groupName.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse(BY_GROUP.values().iterator().next());
    }

    /** The text with its placeholders filled from {@code values}. */
    static String fill(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(out).toString();
    }

    /** A pattern that matches the line however it was filled: for checking that a transcript fits its topic. */
    static Pattern pattern(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(text.substring(last, m.start()))).append(".+?");
            last = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(text.substring(last))).toString());
    }

    /** Every chat and note line of a topic, as patterns. */
    static List<Pattern> patterns(Topic topic) {
        List<Line> all = new ArrayList<>(topic.handOver());
        all.addAll(topic.takeOver());
        all.addAll(topic.comeBack());
        topic.dialogues().forEach(d -> {
            all.addAll(d.opening());
            all.addAll(d.resolution());
            all.addAll(d.unresolved());
        });
        return all.stream().filter(l -> l.isChat() || l.kind() == Kind.NOTE).map(l -> pattern(l.text())).toList();
    }

    private static Topic topic(String caseType, List<Dialogue> dialogues, List<Line> handOver, List<Line> takeOver, List<Line> comeBack) {
        return new Topic(caseType, dialogues, handOver, takeOver, comeBack);
    }

    private static Dialogue dialogue(String title, String closure, List<Line> opening, List<Line> resolution, List<Line> unresolved) {
        return new Dialogue(title, closure, opening, resolution, unresolved);
    }

    private static List<Line> lines(String... lines) {
        return Arrays.stream(lines).map(Dialogues::line).toList();
    }

    private static Line line(String line) {
        if (line.startsWith("VIDEO ")) {
            return new Line(Kind.VIDEO, line.substring(6));
        }
        Kind kind = switch (line.substring(0, 3)) {
            case "V: " -> Kind.VISITOR;
            case "A: " -> Kind.AGENT;
            case "N: " -> Kind.NOTE;
            case "L: " -> Kind.LINK;
            case "U: " -> Kind.NAVIGATION;
            default -> throw new IllegalArgumentException("a dialogue line starts with V:, A:, N:, L:, U: or VIDEO: " + line);
        };
        return new Line(kind, line.substring(3));
    }
}
