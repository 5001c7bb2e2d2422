package istanbul.hes.portal;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.domain.HesCode;
import istanbul.hes.identity.LookupKeys;
import istanbul.hes.simulator.health.HealthMinistrySimulator;
import istanbul.hes.simulator.health.HesCodeRecord.Status;
import istanbul.hes.simulator.identity.IdentityProviderSimulator;
import istanbul.hes.simulator.identity.IdentityProviderSimulator.Person;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.PortalBrowser;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The seed's steps in a real browser, against a node serving the portal and the simulated
 * identity provider, SMS gateway and Ministry of Health: personalization with a TCKN and with a
 * passport, a wrong verification code, link/view/update/remove, the five causes of a failed
 * linking, someone else's card; after each step the tap answer of the card is what it must be.
 * Set {@code -Dhes.portal.screenshots=DIR} to write the README's pictures of each page.
 */
class PortalBrowserTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final PortalBrowser browser = new PortalBrowser();

  private static TestEnvironment environment;
  private static TestNode node;
  private static IdentityProviderSimulator identityProvider;
  private static HealthMinistrySimulator ministry;
  private static CardSeeder seeder;
  private static String portal;
  private static ChromeDriver driver;

  @BeforeAll
  static void startNodeWithPortal() {
    driver = browser.driver();
    environment = new TestEnvironment(Map.of("citizen.requestsPerPersonPerMinute", "1000",
        "citizen.requestsPerAddressPerMinute", "100000", "citizen.challengesPerPersonPerMinute", "20"));
    // The provider signs with the environment's test key, for the issuer and audience the node checks.
    String issuer = environment.config().citizen().tokenIssuer();
    String audience = environment.config().citizen().tokenAudience();
    identityProvider = new IdentityProviderSimulator("127.0.0.1", 0, "hes-portal", List.of(),
        subject -> environment.identityProvider().mint(environment.vertx(), subject, issuer, audience, Duration.ofMinutes(15)),
        Duration.ofMinutes(15));
    Await.result(environment.vertx().deployVerticle(identityProvider));
    node = environment.startNodeWith(Map.of("portal.enabled", "true", "portal.authorizationUrl", identityProvider.authorizationUrl(),
        "portal.tokenUrl", identityProvider.tokenUrl()));
    portal = "http://127.0.0.1:" + node.node().citizenPort() + PortalPages.PATH;
    identityProvider.allowRedirect(portal);
    ministry = environment.healthMinistry();
    seeder = node.seeder();
  }

  @AfterAll
  static void stop() {
    if (environment != null) {
      environment.close();
    }
  }

  // ---- the seed's steps ----------------------------------------------------------------------

  @Test
  void aPersonPersonalizesAnAnonymousCardWithTheirTcknAfterAWrongVerificationCode() {
    long card = seeder.create(CardClass.ANONYMOUS);
    String tckn = Pii.register(CardSeeder.syntheticTckn());
    String phone = Pii.register("+90532" + (1_000_000 + (card % 8_999_999)));
    String hes = issueCode(tckn, "Zeynep", "Kaya");
    assertThat(node.reason(card)).isEqualTo("NOT_PERSONALIZED");

    signInAs(LookupKeys.tcknIdentity(tckn), "Zeynep Kaya");
    fillPersonalization(card, "Zeynep", "Kaya", "1991", phone);
    driver.findElement(By.id("tckn")).sendKeys(tckn);
    sendCode();
    assertThat(text("code-sent")).contains("verification code was sent");
    String right = environment.lastCodeSentTo(phone);
    driver.findElement(By.id("verification-code")).sendKeys(right.equals("000000") ? "111111" : "000000");
    acceptConsents();
    save();
    assertProblem("personalize-result", "CHALLENGE_FAILED", "The verification code is wrong or has expired");
    shot("1-personalization-wrong-code");
    assertThat(node.reason(card)).as("a wrong code changes nothing").isEqualTo("NOT_PERSONALIZED");

    WebElement code = driver.findElement(By.id("verification-code"));
    code.clear();
    code.sendKeys(right);
    save();
    assertSuccess("personalize-result", "is now registered in your name");
    shot("1-personalization-saved");
    assertThat(node.reason(card)).as("personalized, no HES code yet").isEqualTo("NO_HES_CODE");

    openProfile();
    WebElement item = cardItem(card);
    assertThat(item.getText()).contains("No HES code is linked to this card");
    linkIn(card, hes);
    assertSuccess(cardResult(card), "HES code linked: " + hes.substring(0, 4) + "-****-**");
    assertThat(node.reason(card)).isEqualTo("OK");
    assertNothingPersonalInTheAddressOrStorage(tckn, phone, hes);
  }

  @Test
  void aForeignVisitorPersonalizesWithAPassportAndTheNationalityPicker() {
    long card = seeder.create(CardClass.ANONYMOUS);
    String passport = Pii.register("X" + (10_000_000 + card % 89_999_999));
    String phone = Pii.register("+49151" + (1_000_000 + card % 8_999_999));
    String hes = issueCode(passport, "Anna", "Schmidt");

    signInAs(LookupKeys.passportIdentity("DEU", passport), "Anna Schmidt");
    driver.findElement(By.id("tab-passport")).click();
    assertThat(driver.findElement(By.id("identity-tckn")).isDisplayed()).isFalse();
    driver.findElement(By.id("passport")).sendKeys(passport);
    Select nationality = new Select(driver.findElement(By.id("nationality")));
    assertThat(nationality.getOptions()).as("every other country, named").hasSizeGreaterThan(200)
        .noneMatch(option -> option.getAttribute("value").equals("TUR"));
    nationality.selectByValue("DEU");
    assertThat(nationality.getFirstSelectedOption().getText()).isEqualTo("Germany (DEU)");
    fillPersonalization(card, "Anna", "Schmidt", "1988", phone);
    driver.findElement(By.id("hes-code")).sendKeys(hes);
    sendCode();
    driver.findElement(By.id("verification-code")).sendKeys(environment.lastCodeSentTo(phone));
    acceptConsents();
    shot("2-personalization-passport");
    save();
    assertSuccess("personalize-result", "Your HES code is linked to the card: " + hes.substring(0, 4) + "-****-**");
    assertThat(node.reason(card)).isEqualTo("OK");
  }

  @Test
  void underProfileAPersonLinksViewsUpdatesAndRemovesTheCodeOfTheirCard() {
    SeededPerson person = seeder.person("Mehmet", "Demir", 1);
    long card = person.card();
    String first = issueCode(person.documentNumber(), "Mehmet", "Demir");
    String second = issueCode(person.documentNumber(), "Mehmet", "Demir");
    assertThat(node.reason(card)).isEqualTo("NO_HES_CODE");

    signInAs(person.subject(), "Mehmet Demir");
    openProfile();
    linkIn(card, first);
    assertSuccess(cardResult(card), "HES code linked: " + masked(first));
    assertThat(cardItem(card).getText()).contains("HES code: " + masked(first)).contains("Status: riskless")
        .contains("Validity: expires on");
    assertThat(node.reason(card)).isEqualTo("OK");
    shot("3-profile");

    cardItem(card).findElement(By.className("hes-view")).click();
    assertSuccess(cardResult(card), "The HES code on the card: " + masked(first));

    linkIn(card, second);
    assertSuccess(cardResult(card), "HES code updated: " + masked(second));
    assertThat(cardItem(card).getText()).contains("HES code: " + masked(second));
    assertThat(node.reason(card)).isEqualTo("OK");

    cardItem(card).findElement(By.className("hes-remove")).click();
    WebElement confirm = cardItem(card).findElement(By.className("hes-remove-confirm"));
    assertThat(confirm.isDisplayed()).as("removing asks once more").isTrue();
    assertThat(node.reason(card)).as("nothing removed before the confirmation").isEqualTo("OK");
    confirm.click();
    assertSuccess(cardResult(card), "The HES code was removed from the card.");
    assertThat(cardItem(card).getText()).contains("No HES code is linked to this card");
    assertThat(node.reason(card)).isEqualTo("NO_HES_CODE");
  }

  @Test
  void theFiveCausesOfAFailedLinkingAreShownWithWhatToDoAndTheHelplines() {
    SeededPerson person = seeder.person("Elif", "Aydın", 2);
    SeededPerson other = seeder.person("Can", "Öztürk", 1);
    long card = person.cards().get(0);
    long secondCard = person.cards().get(1);
    String own = issueCode(person.documentNumber(), "Elif", "Aydın");
    String ownOther = issueCode(person.documentNumber(), "Elif", "Aydın");
    String othersCode = issueCode(other.documentNumber(), "Can", "Öztürk");
    signInAs(person.subject(), "Elif Aydın");
    openProfile();

    // The HES code does not belong to you.
    linkIn(card, othersCode);
    assertProblem(cardResult(card), "HES_NOT_OWNED", "The HES code does not belong to you.");
    assertThat(node.reason(card)).isEqualTo("NO_HES_CODE");
    shot("4-profile-error");

    // Incorrect HES code entry: not a code at all, then a code the ministry does not know.
    linkIn(card, "A1B2-34");
    assertProblem(cardResult(card), "INVALID_HES_CODE", "Incorrect HES code entry.");
    linkIn(card, "Z9Y8-7654-32");
    assertProblem(cardResult(card), "UNKNOWN_HES_CODE", "Incorrect HES code entry.");
    assertThat(node.reason(card)).isEqualTo("NO_HES_CODE");

    // The HES code is already linked to another card.
    linkIn(card, own);
    assertSuccess(cardResult(card), "HES code linked");
    linkIn(secondCard, own);
    assertProblem(cardResult(secondCard), "HES_LINKED_TO_OTHER_CARD", "The HES code is already linked to another card.");
    assertThat(node.reason(card)).isEqualTo("OK");
    assertThat(node.reason(secondCard)).isEqualTo("NO_HES_CODE");

    // Another HES code is already registered on the Istanbulkart: the personalization page again, with another code.
    driver.findElement(By.id("nav-personalize")).click();
    fillPersonalization(card, "Elif", "Aydın", "1980", person.phone());
    driver.findElement(By.id("tckn")).sendKeys(person.documentNumber());
    driver.findElement(By.id("hes-code")).sendKeys(ownOther);
    sendCode();
    driver.findElement(By.id("verification-code")).sendKeys(environment.lastCodeSentTo(person.phone()));
    acceptConsents();
    save();
    assertProblem("personalize-result", "HES_ALREADY_PRESENT", "Another HES code is already registered on the Istanbulkart.");
    assertThat(text("personalize-result")).contains("The card is registered in your name, but the HES code could not be linked");
    assertThat(node.reason(card)).as("the first code stays").isEqualTo("OK");

    // In Turkish too, as the page first speaks to a Turkish browser.
    driver.findElement(By.id("lang-tr")).click();
    assertThat(text("personalize-result")).contains("İstanbulkart'ta kayıtlı başka bir HES kodu var.")
        .contains("bireysel müşteriler 153, kurumsal müşteriler 444 2 161");
    driver.findElement(By.id("lang-en")).click();
  }

  @Test
  void aCardOfSomeoneElseIsRefusedAndStaysTheirs() {
    SeededPerson owner = seeder.person("Ali", "Koç", 1);
    seeder.linkHes(owner.card(), LocalDate.now(ISTANBUL).plusDays(30));
    String tckn = Pii.register(CardSeeder.syntheticTckn());
    String phone = Pii.register("+90533" + (1_000_000 + owner.card() % 8_999_999));
    String hes = issueCode(tckn, "Deniz", "Arslan");

    signInAs(LookupKeys.tcknIdentity(tckn), "Deniz Arslan");
    fillPersonalization(owner.card(), "Deniz", "Arslan", "1985", phone);
    driver.findElement(By.id("tckn")).sendKeys(tckn);
    driver.findElement(By.id("hes-code")).sendKeys(hes);
    sendCode();
    driver.findElement(By.id("verification-code")).sendKeys(environment.lastCodeSentTo(phone));
    acceptConsents();
    save();
    assertProblem("personalize-result", "CARD_NOT_AVAILABLE", "The Istanbulkart is not registered in your name");
    assertThat(node.reason(owner.card())).as("still the owner's, with the owner's code").isEqualTo("OK");

    openProfile();
    assertThat(driver.findElement(By.id("no-cards")).getText()).contains("No card is registered in your name.");
  }

  // ---- how the pages work ----------------------------------------------------------------------

  @Test
  void thePagesWorkAtPhoneWidthWithTheKeyboardAloneAndEveryFieldLabelled() {
    SeededPerson person = seeder.person("Fatma", "Şahin", 1);
    String hes = issueCode(person.documentNumber(), "Fatma", "Şahin");
    signInAs(person.subject(), "Fatma Şahin");
    assertThat(unlabelledFields()).as("form fields without a label").isEmpty();
    assertThat(sidewaysOverflow()).as("personalization wider than a phone").isLessThanOrEqualTo(0);

    // The identity tabs follow the arrow keys, as tabs do.
    WebElement tckn = driver.findElement(By.id("tab-tckn"));
    tckn.sendKeys(Keys.ARROW_RIGHT);
    assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("tab-passport");
    assertThat(driver.findElement(By.id("identity-passport")).isDisplayed()).isTrue();
    driver.switchTo().activeElement().sendKeys(Keys.HOME);
    assertThat(driver.findElement(By.id("tab-tckn")).getAttribute("aria-selected")).isEqualTo("true");

    openProfile();
    assertThat(unlabelledFields()).as("profile fields without a label").isEmpty();
    assertThat(sidewaysOverflow()).as("profile wider than a phone").isLessThanOrEqualTo(0);
    // Typed and submitted with Enter, nothing clicked.
    WebElement input = cardItem(person.card()).findElement(By.className("hes-input"));
    input.sendKeys(hes, Keys.ENTER);
    assertSuccess(cardResult(person.card()), "HES code linked");
    assertThat(node.reason(person.card())).isEqualTo("OK");
  }

  @Test
  void theTokenStaysInThePagesMemoryAndALanguageSwitchSaysEverythingAgain() {
    SeededPerson person = seeder.person("Hakan", "Çelik", 1);
    signInAs(person.subject(), "Hakan Çelik");
    assertThat(driver.getCurrentUrl()).as("the sign-in code is out of the address").doesNotContain("code=").doesNotContain("state=");
    assertThat(driver.manage().getCookies()).as("cookies").isEmpty();
    assertThat((Long) driver.executeScript("return window.localStorage.length + window.sessionStorage.length"))
        .as("values stored by the page").isZero();

    driver.findElement(By.id("lang-tr")).click();
    assertThat(driver.findElement(By.id("personalize-title")).getText()).isEqualTo("İstanbulkart kişiselleştirme");
    assertThat(driver.findElement(By.cssSelector("label[for=tckn]")).getText()).isEqualTo("T.C. kimlik numarası");
    assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("tr");
    driver.findElement(By.id("lang-en")).click();
    assertThat(driver.findElement(By.id("personalize-title")).getText()).isEqualTo("Istanbulkart personalization");

    // A reload forgets the token: the identity provider is asked again.
    driver.navigate().refresh();
    waitUntilReady();
    assertThat(driver.findElement(By.id("signin")).isDisplayed()).isTrue();
    assertThat(driver.findElement(By.id("personalize")).isDisplayed()).isFalse();
  }

  // ---- steps -----------------------------------------------------------------------------------

  private static String issueCode(String documentNumber, String firstName, String lastName) {
    String code = ministry.issue(documentNumber, firstName, lastName, Status.RISKLESS,
        LocalDate.now(ISTANBUL).plusDays(60).atStartOfDay()).hesCode();
    return Pii.register(HesCode.parse(code).printed());
  }

  private static String masked(String printed) {
    return printed.substring(0, 4) + "-****-**";
  }

  /** Opens the portal afresh (nothing in memory), signs in at the identity provider as this person, and waits to be back. */
  private static void signInAs(String subject, String name) {
    int index = identityProvider.addPerson(new Person(subject, name, "test person"));
    driver.navigate().to("about:blank");
    driver.navigate().to(portal + "#personalize");
    waitUntilReady();
    shot("0-sign-in");
    driver.findElement(By.id("signin-button")).click();
    WebElement person = waiting().until(ExpectedConditions.elementToBeClickable(By.id("person-" + index)));
    shot("0-identity-provider");
    person.click();
    waitUntilReady();
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    assertThat(driver.findElement(By.id("notice")).isDisplayed()).as("no sign-in problem").isFalse();
  }

  /** Bounded polling of the page; the profile redraws its cards after each answer, so a stale element is looked up again. */
  private static WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private static void waitUntilReady() {
    waiting().until(page -> "true".equals(
        driver.executeScript("return document.body && document.body.dataset.ready || null")));
  }

  private static void fillPersonalization(long card, String firstName, String lastName, String birthYear, String phone) {
    type("card", CardNumber.printed(card));
    type("first-name", firstName);
    type("last-name", lastName);
    type("birth-year", birthYear);
    type("phone", phone);
  }

  private static void type(String id, String value) {
    WebElement field = driver.findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
  }

  private static void sendCode() {
    driver.findElement(By.id("send-code")).click();
    waiting().until(page -> !text("code-sent").isEmpty() || !text("personalize-result").isEmpty());
  }

  private static void acceptConsents() {
    for (String id : List.of("consent-kvkk", "consent-hes")) {
      WebElement box = driver.findElement(By.id(id));
      if (!box.isSelected()) {
        box.click();
      }
    }
  }

  private static void save() {
    clearResult("personalize-result");
    driver.findElement(By.id("save")).click();
    waiting().until(page -> !text("personalize-result").isEmpty());
  }

  private static void openProfile() {
    driver.findElement(By.id("nav-profile")).click();
    waiting().until(page -> driver.findElement(By.id("profile")).isDisplayed()
        && (!driver.findElements(By.cssSelector("#cards .card")).isEmpty() || driver.findElement(By.id("no-cards")).isDisplayed()));
  }

  private static WebElement cardItem(long card) {
    return waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#cards .card[data-card='" + CardNumber.format(card) + "']")));
  }

  private static String cardResult(long card) {
    return "card:" + CardNumber.format(card);
  }

  /** Types a code into the card's HES field and submits it (link, or update when the card has one). */
  private static void linkIn(long card, String code) {
    WebElement input = cardItem(card).findElement(By.className("hes-input"));
    clearResult(cardResult(card));
    input.clear();
    input.sendKeys(code);
    cardItem(card).findElement(By.className("hes-submit")).click();
    waiting().until(page -> !text(cardResult(card)).isEmpty());
  }

  /** A result area: an element id, or "card:<number>" for a card's own. */
  private static WebElement result(String area) {
    return area.startsWith("card:")
        ? driver.findElement(By.cssSelector("#cards .card[data-card='" + area.substring(5) + "'] .result"))
        : driver.findElement(By.id(area));
  }

  private static String text(String area) {
    return area.startsWith("card:") ? result(area).getText() : driver.findElement(By.id(area)).getText();
  }

  private static void clearResult(String area) {
    driver.executeScript("arguments[0].replaceChildren(); delete arguments[0].dataset.shown; delete arguments[0].dataset.code;",
        result(area));
  }

  private static void assertProblem(String area, String code, String cause) {
    waiting().until(page -> code.equals(result(area).getAttribute("data-code")));
    WebElement shown = result(area);
    assertThat(shown.getAttribute("role")).isEqualTo("alert");
    assertThat(shown.getText()).as("the problem %s in plain words", code).contains(cause)
        .contains("individual customers 153").contains("corporate customers 444 2 161");
  }

  private static void assertSuccess(String area, String expected) {
    waiting().until(page -> result(area).getText().contains(expected) || result(area).getAttribute("data-code") != null);
    assertThat(result(area).getAttribute("data-code")).as("problem shown: %s", result(area).getText()).isNull();
    assertThat(result(area).getText()).contains(expected);
  }

  private static void assertNothingPersonalInTheAddressOrStorage(String... personal) {
    String url = driver.getCurrentUrl();
    for (String value : personal) {
      assertThat(url).doesNotContain(value).doesNotContain(value.replace("+", "%2B"));
    }
    assertThat(driver.manage().getCookies()).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static List<String> unlabelledFields() {
    return (List<String>) driver.executeScript("return [...document.querySelectorAll('input:not([type=hidden]), select')]"
        + ".filter(field => field.offsetParent !== null && (!field.labels || field.labels.length === 0)).map(field => field.id || field.name)");
  }

  private static long sidewaysOverflow() {
    return (Long) driver.executeScript("return document.documentElement.scrollWidth - window.innerWidth");
  }

  /** The README's pictures, when asked for with -Dhes.portal.screenshots=DIR. */
  private static void shot(String name) {
    String folder = System.getProperty("hes.portal.screenshots");
    if (folder != null && !folder.isEmpty()) {
      browser.screenshot(Path.of(folder, name + ".png"));
    }
  }
}
